package dev.tally.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.workspace.WorkspaceId;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTokenTest {
    private static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void tokenAllowsExactlyItsScopes() {
        AccessToken readOnly = token(Set.of(Scope.READ));
        AccessToken readWrite = token(Set.of(Scope.READ, Scope.WRITE));

        assertThat(readOnly.allows(Scope.READ)).isTrue();
        assertThat(readOnly.allows(Scope.WRITE)).isFalse();
        assertThat(readWrite.allows(Scope.READ)).isTrue();
        assertThat(readWrite.allows(Scope.WRITE)).isTrue();
    }

    @Test
    void tokenWithoutScopesIsRejected() {
        assertThatThrownBy(() -> token(Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scope");
    }

    @Test
    void revokedTokenKeepsEverythingElse() {
        AccessToken token = token(Set.of(Scope.WRITE));
        Instant at = CREATED.plusSeconds(60);

        AccessToken revoked = token.revoked(at);

        assertThat(token.isRevoked()).isFalse();
        assertThat(revoked.isRevoked()).isTrue();
        assertThat(revoked.revokedAt()).contains(at);
        assertThat(revoked.id()).isEqualTo(token.id());
        assertThat(revoked.hash()).isEqualTo(token.hash());
        assertThat(revoked.scopes()).containsExactly(Scope.WRITE);
    }

    @Test
    void scopesHaveLowerCaseWireNames() {
        assertThat(Scope.READ.wireName()).isEqualTo("read");
        assertThat(Scope.fromWireName("write")).contains(Scope.WRITE);
        assertThat(Scope.fromWireName("WRITE")).isEmpty();
        assertThat(Scope.fromWireName("admin")).isEmpty();
    }

    @Test
    void issuedTokenNeverPrintsItsSecret() {
        String secret = IssuedToken.newSecret();
        IssuedToken issued = new IssuedToken(token(Set.of(Scope.READ)), secret);

        assertThat(secret).startsWith("tally_").hasSize("tally_".length() + 64);
        assertThat(issued.toString()).doesNotContain(secret);
        assertThat(IssuedToken.newSecret()).isNotEqualTo(secret);
    }

    private static AccessToken token(Set<Scope> scopes) {
        return new AccessToken(
                TokenId.random(), new WorkspaceId("w1"), TokenHash.of("s"), scopes, "test", CREATED, Optional.empty());
    }
}
