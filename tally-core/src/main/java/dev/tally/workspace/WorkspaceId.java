package dev.tally.workspace;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/** A workspace's id, Intercom's {@code app_id}: short, lower-case letters and digits. */
public record WorkspaceId(String value) implements Comparable<WorkspaceId> {
    private static final Pattern SHAPE = Pattern.compile("[a-z0-9_-]{1,64}");

    public WorkspaceId {
        requireNonNull(value, "value is null");
        if (!SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("workspace id must be 1-64 of [a-z0-9_-]: " + value);
        }
    }

    public static WorkspaceId random() {
        return new WorkspaceId(RandomIds.alphanumeric(8));
    }

    @Override
    public int compareTo(WorkspaceId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
