package dev.tally.workspace;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * A tenant. {@code rateLimitPerMinute} overrides the server's default when present; 0 means
 * unlimited.
 */
public record Workspace(WorkspaceId id, String name, Instant createdAt, OptionalLong rateLimitPerMinute) {
    public Workspace {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(rateLimitPerMinute, "rateLimitPerMinute is null");
        if (name.isBlank() || name.length() > 255) {
            throw new IllegalArgumentException("workspace name must be 1-255 characters");
        }
        if (rateLimitPerMinute.isPresent() && rateLimitPerMinute.getAsLong() < 0) {
            throw new IllegalArgumentException("rate limit must be >= 0");
        }
    }

    public Workspace withRateLimitPerMinute(OptionalLong limit) {
        return new Workspace(id, name, createdAt, limit);
    }
}
