package dev.tally.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class IdentitySecretTest {
    private final IdentitySecret secret = new IdentitySecret("a-secret-of-the-workspace-0123456789");

    @Test
    void userHashIsTheHexHmacSha256OfTheIdentifier() {
        // Python: hmac.new(b'a-secret-of-the-workspace-0123456789', b'314159', hashlib.sha256).hexdigest()
        String expected = "6bc95a787d28ba15bdaec85a94c13d158f54d372a556d9463d31f0087b237ebe";
        assertThat(secret.sign("314159")).isEqualTo(expected);
        assertThat(secret.verifies("314159", expected)).isTrue();
    }

    @Test
    void upperCaseHexVerifiesToo() {
        assertThat(secret.verifies("314159", secret.sign("314159").toUpperCase(Locale.ROOT)))
                .isTrue();
    }

    @Test
    void anotherIdentifiersHashOrAnotherSecretsDoesNot() {
        assertThat(secret.verifies("314159", secret.sign("271828"))).isFalse();
        assertThat(secret.verifies("314159", IdentitySecret.random().sign("314159")))
                .isFalse();
        assertThat(secret.verifies("314159", "")).isFalse();
        assertThat(secret.verifies("314159", secret.sign("314159").substring(1)))
                .isFalse();
    }

    @Test
    void itsTextNeverShowsTheValue() {
        assertThat(secret.toString()).doesNotContain(secret.value());
        assertThat(new Workspace(WorkspaceId.random(), "Acme", java.time.Instant.EPOCH, java.util.OptionalLong.empty())
                        .toString())
                .contains("redacted");
    }
}
