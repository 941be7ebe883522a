package dev.tally.event;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What the store did with one event of a commit. */
public record AppendResult(Status status, List<String> ignoredKeys) {
    /** Stored for the first time, or a duplicate of one already stored (accepted, not stored). */
    public enum Status {
        STORED,
        DUPLICATE
    }

    public AppendResult {
        requireNonNull(status, "status is null");
        ignoredKeys = List.copyOf(ignoredKeys);
    }

    public static AppendResult stored(List<String> ignoredKeys) {
        return new AppendResult(Status.STORED, ignoredKeys);
    }

    public static AppendResult duplicate() {
        return new AppendResult(Status.DUPLICATE, List.of());
    }
}
