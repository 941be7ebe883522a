package dev.tally.server.web;

import static java.util.Objects.requireNonNull;

import dev.tally.auth.TokenHash;
import dev.tally.workspace.WorkspaceId;
import java.time.Instant;
import java.util.Optional;

/**
 * A signed-in browser. It keeps the token's hash, never the secret, and is checked again against
 * the token on every request, so revoking the token ends the session. {@code csrfToken} is the
 * synchronizer token every change must carry.
 */
public record Session(
        String id,
        String csrfToken,
        Optional<TokenHash> tokenHash,
        boolean admin,
        boolean canWrite,
        WorkspaceId workspaceId,
        Instant expiresAt) {
    public Session {
        requireNonNull(id, "id is null");
        requireNonNull(csrfToken, "csrfToken is null");
        requireNonNull(tokenHash, "tokenHash is null");
        requireNonNull(workspaceId, "workspaceId is null");
        requireNonNull(expiresAt, "expiresAt is null");
        if (admin == tokenHash.isPresent()) {
            throw new IllegalArgumentException("a session is either the operator's or a workspace token's");
        }
    }

    /** The operator looking at another workspace. */
    Session inWorkspace(WorkspaceId other) {
        return new Session(id, csrfToken, tokenHash, admin, canWrite, other, expiresAt);
    }
}
