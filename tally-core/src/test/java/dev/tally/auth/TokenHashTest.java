package dev.tally.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenHashTest {

    @Test
    void sameSecretGivesTheSameHash() {
        assertThat(TokenHash.of("tally_secret")).isEqualTo(TokenHash.of("tally_secret"));
        assertThat(TokenHash.of("tally_secret").matches(TokenHash.of("tally_secret")))
                .isTrue();
    }

    @Test
    void differentSecretsGiveDifferentHashes() {
        TokenHash one = TokenHash.of("tally_secret");
        TokenHash other = TokenHash.of("tally_secreT");

        assertThat(one).isNotEqualTo(other);
        assertThat(one.matches(other)).isFalse();
    }

    @Test
    void hashIsTheHexSha256OfTheSecret() {
        // echo -n abc | sha256sum
        assertThat(TokenHash.of("abc").hex())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void hashThatDiffersOnlyInTheLastCharacterDoesNotMatch() {
        String hex = TokenHash.of("abc").hex();
        TokenHash almost = new TokenHash(hex.substring(0, 63) + (hex.endsWith("d") ? "e" : "d"));

        assertThat(TokenHash.of("abc").matches(almost)).isFalse();
        assertThat(TokenHash.of("abc").matches(new TokenHash(hex))).isTrue();
    }

    @Test
    void hashMustBe64Characters() {
        assertThatThrownBy(() -> new TokenHash("abc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void textualFormDoesNotRevealTheWholeHash() {
        TokenHash hash = TokenHash.of("abc");

        assertThat(hash.toString())
                .doesNotContain(hash.hex())
                .contains(hash.hex().substring(0, 8));
    }
}
