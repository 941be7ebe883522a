package dev.tally.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.auth.AccessToken;
import dev.tally.auth.Authentication;
import dev.tally.auth.IssuedToken;
import dev.tally.auth.Scope;
import dev.tally.auth.TokenHash;
import dev.tally.auth.TokenId;
import dev.tally.storage.memory.InMemoryTallyStore;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessServiceTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    private final InMemoryTallyStore store = new InMemoryTallyStore();
    private final AccessService access = new AccessService(store, Clock.fixed(NOW, ZoneOffset.UTC));
    private final Workspace workspace = workspace("w1");
    private final Workspace otherWorkspace = workspace("w2");

    @Test
    void issuedTokenAuthenticatesAsItsWorkspace() {
        IssuedToken issued = access.issue(workspace.id(), Set.of(Scope.READ), "reporting");

        Authentication authentication = access.authenticate(issued.secret());

        assertThat(authentication).isInstanceOf(Authentication.Authenticated.class);
        Authentication.Authenticated authenticated = (Authentication.Authenticated) authentication;
        assertThat(authenticated.workspace()).isEqualTo(workspace);
        assertThat(authenticated.token().id()).isEqualTo(issued.token().id());
        assertThat(authenticated.token().allows(Scope.READ)).isTrue();
        assertThat(authenticated.token().allows(Scope.WRITE)).isFalse();
        assertThat(authenticated.token().label()).isEqualTo("reporting");
        assertThat(authenticated.token().createdAt()).isEqualTo(NOW);
    }

    @Test
    void onlyTheHashOfTheSecretIsStored() {
        IssuedToken issued = access.issue(workspace.id(), Set.of(Scope.READ), "reporting");

        assertThat(access.list(workspace.id()))
                .singleElement()
                .satisfies(token -> assertThat(token.hash()).isEqualTo(TokenHash.of(issued.secret())))
                .satisfies(token -> assertThat(token.toString()).doesNotContain(issued.secret()));
    }

    @Test
    void operatorChosenSecretAuthenticates() {
        access.issue(workspace.id(), Set.of(Scope.READ, Scope.WRITE), "bootstrap", "my-operator-secret");

        assertThat(access.authenticate("my-operator-secret")).isInstanceOf(Authentication.Authenticated.class);
    }

    @Test
    void unknownSecretIsUnknown() {
        access.issue(workspace.id(), Set.of(Scope.READ), "reporting");

        assertThat(access.authenticate("tally_not-a-token")).isEqualTo(new Authentication.Unknown());
    }

    @Test
    void revokedTokenIsRevoked() {
        IssuedToken issued = access.issue(workspace.id(), Set.of(Scope.WRITE), "ingest");

        assertThat(access.revoke(workspace.id(), issued.token().id())).isTrue();

        assertThat(access.authenticate(issued.secret())).isEqualTo(new Authentication.Revoked());
        assertThat(access.list(workspace.id())).singleElement().satisfies(token -> assertThat(token.revokedAt())
                .contains(NOW));
    }

    @Test
    void revokingTwiceStillSucceeds() {
        IssuedToken issued = access.issue(workspace.id(), Set.of(Scope.WRITE), "ingest");
        access.revoke(workspace.id(), issued.token().id());

        assertThat(access.revoke(workspace.id(), issued.token().id())).isTrue();
        assertThat(access.authenticate(issued.secret())).isEqualTo(new Authentication.Revoked());
    }

    @Test
    void tokenOfAnotherWorkspaceCannotBeRevoked() {
        IssuedToken theirs = access.issue(otherWorkspace.id(), Set.of(Scope.WRITE), "theirs");

        assertThat(access.revoke(workspace.id(), theirs.token().id())).isFalse();

        assertThat(access.authenticate(theirs.secret())).isInstanceOf(Authentication.Authenticated.class);
    }

    @Test
    void unknownTokenIdCannotBeRevoked() {
        assertThat(access.revoke(workspace.id(), new TokenId("tok_nothing"))).isFalse();
    }

    @Test
    void revokingOneTokenLeavesTheOthersWorking() {
        IssuedToken revoked = access.issue(workspace.id(), Set.of(Scope.WRITE), "old");
        IssuedToken kept = access.issue(workspace.id(), Set.of(Scope.WRITE), "new");

        access.revoke(workspace.id(), revoked.token().id());

        assertThat(access.authenticate(kept.secret())).isInstanceOf(Authentication.Authenticated.class);
    }

    @Test
    void tokensAreListedPerWorkspace() {
        IssuedToken mine = access.issue(workspace.id(), Set.of(Scope.READ), "mine");
        access.issue(otherWorkspace.id(), Set.of(Scope.READ), "theirs");

        assertThat(access.list(workspace.id()))
                .extracting(AccessToken::id)
                .containsExactly(mine.token().id());
    }

    @Test
    void tokenOfAMissingWorkspaceIsUnknown() {
        IssuedToken orphan = access.issue(new WorkspaceId("gone"), Set.of(Scope.READ), "orphan");

        assertThat(access.authenticate(orphan.secret())).isEqualTo(new Authentication.Unknown());
    }

    private Workspace workspace(String id) {
        Workspace created = new Workspace(new WorkspaceId(id), "Workspace " + id, NOW, OptionalLong.empty());
        store.insertWorkspace(created);
        return created;
    }
}
