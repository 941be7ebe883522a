package dev.tally.segment;

import static java.util.Objects.requireNonNull;

import dev.tally.workspace.RandomIds;

/** A segment's id: 24 hex characters when generated. */
public record SegmentId(String value) {
    public SegmentId {
        requireNonNull(value, "value is null");
        if (value.isEmpty() || value.length() > 64) {
            throw new IllegalArgumentException("segment id must be 1-64 characters");
        }
    }

    public static SegmentId random() {
        return new SegmentId(RandomIds.hex(12));
    }

    @Override
    public String toString() {
        return value;
    }
}
