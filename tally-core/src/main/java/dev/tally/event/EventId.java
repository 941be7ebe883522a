package dev.tally.event;

import static java.util.Objects.requireNonNull;

import dev.tally.workspace.RandomIds;

/** An event's id as listed ({@code "id"} in {@code event.list}). */
public record EventId(String value) {
    public EventId {
        requireNonNull(value, "value is null");
        if (value.isEmpty() || value.length() > 64) {
            throw new IllegalArgumentException("event id must be 1-64 characters");
        }
    }

    public static EventId random() {
        return new EventId(RandomIds.fastUuid());
    }

    @Override
    public String toString() {
        return value;
    }
}
