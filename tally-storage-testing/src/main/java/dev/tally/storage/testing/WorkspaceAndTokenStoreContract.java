package dev.tally.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.auth.AccessToken;
import dev.tally.auth.Scope;
import dev.tally.auth.TokenHash;
import dev.tally.auth.TokenId;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What every store does with workspaces and access tokens. */
public abstract class WorkspaceAndTokenStoreContract extends StoreContract {
    protected WorkspaceAndTokenStoreContract(TallyStoreContract suite) {
        super(suite);
    }

    // ---- workspaces

    @Test
    public void insertedWorkspaceIsFoundAndListed() {
        Workspace acme = workspace("acme");
        Workspace globex = workspace("globex");

        assertThat(store().findWorkspace(acme.id())).contains(acme);
        assertThat(store().listWorkspaces()).containsExactlyInAnyOrder(acme, globex);
    }

    @Test
    public void unknownWorkspaceIsAbsent() {
        workspace("acme");

        assertThat(store().findWorkspace(new WorkspaceId("nope"))).isEmpty();
    }

    @Test
    public void updateWorkspaceReplacesItsSettings() {
        Workspace acme = workspace("acme");
        Workspace limited = acme.withRateLimitPerMinute(OptionalLong.of(600));

        assertThat(store().updateWorkspace(limited)).isTrue();

        assertThat(store().findWorkspace(acme.id())).contains(limited);
        assertThat(store().listWorkspaces()).containsExactly(limited);
    }

    @Test
    public void updateOfUnknownWorkspaceReturnsFalseAndCreatesNothing() {
        Workspace ghost = new Workspace(new WorkspaceId("ghost"), "Ghost", NOW, OptionalLong.empty());

        assertThat(store().updateWorkspace(ghost)).isFalse();

        assertThat(store().findWorkspace(ghost.id())).isEmpty();
    }

    // ---- tokens

    @Test
    public void insertedTokenIsFoundByItsHash() {
        Workspace acme = workspace("acme");
        AccessToken token = token(acme.id(), "secret-1");

        assertThat(store().findToken(TokenHash.of("secret-1"))).contains(token);
        assertThat(store().findToken(TokenHash.of("secret-2"))).isEmpty();
    }

    @Test
    public void tokensAreListedOnlyForTheirWorkspace() {
        Workspace acme = workspace("acme");
        Workspace globex = workspace("globex");
        AccessToken first = token(acme.id(), "secret-1");
        AccessToken second = token(acme.id(), "secret-2");
        AccessToken other = token(globex.id(), "secret-3");

        assertThat(store().listTokens(acme.id())).containsExactlyInAnyOrder(first, second);
        assertThat(store().listTokens(globex.id())).containsExactly(other);
        assertThat(store().listTokens(new WorkspaceId("nope"))).isEmpty();
    }

    @Test
    public void updateTokenRevokesIt() {
        Workspace acme = workspace("acme");
        AccessToken token = token(acme.id(), "secret-1");
        AccessToken revoked = token.revoked(NOW.plusSeconds(60));

        assertThat(store().updateToken(revoked)).isTrue();

        assertThat(store().findToken(token.hash())).contains(revoked);
        assertThat(store().listTokens(acme.id())).containsExactly(revoked);
    }

    @Test
    public void updateOfTokenInAnotherWorkspaceReturnsFalseAndChangesNothing() {
        Workspace acme = workspace("acme");
        Workspace globex = workspace("globex");
        AccessToken token = token(acme.id(), "secret-1");
        AccessToken hijacked = new AccessToken(
                token.id(),
                globex.id(),
                token.hash(),
                token.scopes(),
                token.label(),
                token.createdAt(),
                Optional.of(NOW));

        assertThat(store().updateToken(hijacked)).isFalse();

        assertThat(store().findToken(token.hash())).contains(token);
        assertThat(store().listTokens(globex.id())).isEmpty();
    }

    @Test
    public void updateOfUnknownTokenReturnsFalse() {
        Workspace acme = workspace("acme");
        AccessToken never = new AccessToken(
                new TokenId("tok_never"),
                acme.id(),
                TokenHash.of("never"),
                Set.of(Scope.READ),
                "never",
                NOW,
                Optional.empty());

        assertThat(store().updateToken(never)).isFalse();

        assertThat(store().findToken(never.hash())).isEmpty();
    }
}
