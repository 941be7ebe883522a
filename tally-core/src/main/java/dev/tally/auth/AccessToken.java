package dev.tally.auth;

import static java.util.Objects.requireNonNull;

import dev.tally.workspace.WorkspaceId;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** A stored token: its hash, never its secret. */
public record AccessToken(
        TokenId id,
        WorkspaceId workspaceId,
        TokenHash hash,
        Set<Scope> scopes,
        String label,
        Instant createdAt,
        Optional<Instant> revokedAt) {
    public AccessToken {
        requireNonNull(id, "id is null");
        requireNonNull(workspaceId, "workspaceId is null");
        requireNonNull(hash, "hash is null");
        requireNonNull(scopes, "scopes is null");
        requireNonNull(label, "label is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(revokedAt, "revokedAt is null");
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("a token needs at least one scope");
        }
        scopes = Set.copyOf(EnumSet.copyOf(scopes));
    }

    public boolean isRevoked() {
        return revokedAt.isPresent();
    }

    public boolean allows(Scope scope) {
        return scopes.contains(scope);
    }

    public AccessToken revoked(Instant at) {
        return new AccessToken(id, workspaceId, hash, scopes, label, createdAt, Optional.of(at));
    }
}
