package dev.tally.workspace;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * A tenant. {@code rateLimitPerMinute} overrides the server's default when present; 0 means
 * unlimited. {@code browser} is how it takes events from web pages (app id, identity verification).
 */
public record Workspace(
        WorkspaceId id, String name, Instant createdAt, OptionalLong rateLimitPerMinute, BrowserSettings browser) {
    public Workspace {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(rateLimitPerMinute, "rateLimitPerMinute is null");
        requireNonNull(browser, "browser is null");
        if (name.isBlank() || name.length() > 255) {
            throw new IllegalArgumentException("workspace name must be 1-255 characters");
        }
        if (rateLimitPerMinute.isPresent() && rateLimitPerMinute.getAsLong() < 0) {
            throw new IllegalArgumentException("rate limit must be >= 0");
        }
    }

    /** A new workspace, with a fresh app id and identity-verification secret. */
    public Workspace(WorkspaceId id, String name, Instant createdAt, OptionalLong rateLimitPerMinute) {
        this(id, name, createdAt, rateLimitPerMinute, BrowserSettings.generate());
    }

    public Workspace withRateLimitPerMinute(OptionalLong limit) {
        return new Workspace(id, name, createdAt, limit, browser);
    }

    public Workspace withBrowser(BrowserSettings settings) {
        return new Workspace(id, name, createdAt, rateLimitPerMinute, settings);
    }
}
