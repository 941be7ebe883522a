package dev.tally.service;

import static java.util.Objects.requireNonNull;

import dev.tally.auth.AccessToken;
import dev.tally.auth.Authentication;
import dev.tally.auth.IssuedToken;
import dev.tally.auth.Scope;
import dev.tally.auth.TokenHash;
import dev.tally.auth.TokenId;
import dev.tally.storage.TallyStore;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Issues, checks and revokes access tokens. Only hashes are stored; a secret is shown once. */
public final class AccessService {
    private final TallyStore store;
    private final Clock clock;

    public AccessService(TallyStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public IssuedToken issue(WorkspaceId workspaceId, Set<Scope> scopes, String label) {
        return issue(workspaceId, scopes, label, IssuedToken.newSecret());
    }

    /** Issues a token with a secret the operator chose (the bootstrap token). */
    public IssuedToken issue(WorkspaceId workspaceId, Set<Scope> scopes, String label, String secret) {
        AccessToken token = new AccessToken(
                TokenId.random(), workspaceId, TokenHash.of(secret), scopes, label, clock.instant(), Optional.empty());
        store.insertToken(token);
        return new IssuedToken(token, secret);
    }

    public Authentication authenticate(String secret) {
        return authenticate(TokenHash.of(secret));
    }

    /** The same check by hash: a dashboard session keeps the hash, never the secret, and re-checks it. */
    public Authentication authenticate(TokenHash presented) {
        Optional<AccessToken> found =
                store.findToken(presented).filter(token -> token.hash().matches(presented));
        if (found.isEmpty()) {
            return new Authentication.Unknown();
        }
        AccessToken token = found.get();
        if (token.isRevoked()) {
            return new Authentication.Revoked();
        }
        Optional<Workspace> workspace = store.findWorkspace(token.workspaceId());
        return workspace
                .<Authentication>map(w -> new Authentication.Authenticated(token, w))
                .orElseGet(Authentication.Unknown::new);
    }

    public List<AccessToken> list(WorkspaceId workspaceId) {
        return store.listTokens(workspaceId);
    }

    /** Revokes a token of the workspace; false if the workspace has no such token. */
    public boolean revoke(WorkspaceId workspaceId, TokenId tokenId) {
        return store.listTokens(workspaceId).stream()
                .filter(token -> token.id().equals(tokenId))
                .findFirst()
                .map(token -> token.isRevoked() || store.updateToken(token.revoked(clock.instant())))
                .orElse(false);
    }
}
