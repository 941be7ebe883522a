package dev.tally.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.storage.TallyStore;
import dev.tally.workspace.AppId;
import dev.tally.workspace.BrowserSettings;
import dev.tally.workspace.IdentitySecret;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every store keeps a workspace's browser settings exactly: app id, secret, origins in order, enforcement. */
public abstract class WorkspaceBrowserSettingsContract {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private TallyStore store;

    protected abstract TallyStore newStore();

    @BeforeEach
    void open() {
        store = newStore();
    }

    @AfterEach
    void close() {
        // Null when newStore() skipped the test (PostgreSQL without TALLY_TEST_DATABASE_URL).
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aWorkspacesBrowserSettingsAreStoredAsGiven() {
        BrowserSettings settings = new BrowserSettings(
                new AppId("abcd1234"),
                new IdentitySecret("0123456789abcdef0123456789abcdef"),
                List.of("https://shop.example.com", "http://localhost:3000"),
                false);
        Workspace acme = new Workspace(new WorkspaceId("acme"), "Acme", NOW, OptionalLong.empty(), settings);
        store.insertWorkspace(acme);

        assertThat(store.findWorkspace(acme.id())).contains(acme);
        assertThat(store.listWorkspaces()).containsExactly(acme);
    }

    @Test
    void rotatingTheSecretAndChangingOriginsReplacesThem() {
        Workspace acme = new Workspace(new WorkspaceId("acme"), "Acme", NOW, OptionalLong.empty());
        store.insertWorkspace(acme);
        Workspace changed = acme.withBrowser(acme.browser()
                .withIdentitySecret(IdentitySecret.random())
                .withAllowedOrigins(List.of("https://b.example.com", "https://a.example.com"))
                .withEnforceIdentityVerification(false));

        assertThat(store.updateWorkspace(changed)).isTrue();
        assertThat(store.findWorkspace(acme.id())).contains(changed);

        Workspace none = changed.withBrowser(changed.browser().withAllowedOrigins(List.of()));
        assertThat(store.updateWorkspace(none)).isTrue();
        assertThat(store.findWorkspace(acme.id()).orElseThrow().browser().allowedOrigins())
                .isEmpty();
    }
}
