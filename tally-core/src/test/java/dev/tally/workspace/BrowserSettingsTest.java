package dev.tally.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BrowserSettingsTest {
    @Test
    void originsAreNormalizedAsBrowsersSendThem() {
        assertThat(BrowserSettings.normalizeOrigins(
                        List.of("HTTPS://Shop.Example.com/", "https://shop.example.com:443", "http://localhost:3000")))
                .containsExactly("https://shop.example.com", "http://localhost:3000");
    }

    @Test
    void anythingButSchemeHostAndPortIsNotAnOrigin() {
        for (String bad : List.of(
                "shop.example.com",
                "ftp://x.example.com",
                "https://x.example.com/path",
                "https://user@x.example.com",
                "https://x.example.com?q=1",
                "*")) {
            assertThatThrownBy(() -> BrowserSettings.normalizeOrigin(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aNewWorkspaceEnforcesVerificationAndAllowsNoOriginYet() {
        BrowserSettings settings = BrowserSettings.generate();
        assertThat(settings.enforceIdentityVerification()).isTrue();
        assertThat(settings.allowedOrigins()).isEmpty();
        assertThat(settings.appId().value()).matches("[a-z0-9]{8}");
        assertThat(settings.allowsOrigin("https://shop.example.com")).isFalse();
        assertThat(settings.withAllowedOrigins(List.of("https://shop.example.com"))
                        .allowsOrigin("https://shop.example.com"))
                .isTrue();
    }
}
