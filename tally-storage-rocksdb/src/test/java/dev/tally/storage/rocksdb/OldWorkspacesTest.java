package dev.tally.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.workspace.BrowserSettings;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store written before workspaces had browser settings opens, and gives each workspace settings that stay. */
class OldWorkspacesTest {
    @TempDir
    Path directory;

    private final Workspace acme =
            new Workspace(new WorkspaceId("acme"), "Acme", Instant.ofEpochSecond(1_700_000_000), OptionalLong.of(500));

    /** The value as stores wrote it before 2026-11-30: the same layout, ending after the rate limit. */
    private static byte[] withoutBrowserSettings(Workspace workspace, byte[] value) {
        BrowserSettings browser = workspace.browser();
        int browserBytes = 1
                + browser.appId().value().length()
                + 1
                + browser.identitySecret().value().length()
                + 1
                + 1;
        return Arrays.copyOf(value, value.length - browserBytes);
    }

    @Test
    void anOldValueDecodesWithFreshSettingsAndIsRecognizedAsOld() {
        byte[] old = withoutBrowserSettings(acme, Codec.workspace(acme));

        assertThat(Codec.workspaceHasBrowserSettings(old)).isFalse();
        assertThat(Codec.workspaceHasBrowserSettings(Codec.workspace(acme))).isTrue();
        Workspace decoded = Codec.workspace(old);
        assertThat(decoded.withBrowser(acme.browser())).isEqualTo(acme);
        assertThat(decoded.browser().enforceIdentityVerification()).isTrue();
    }

    @Test
    void anOldStoreGivesItsWorkspacesAnAppIdAndSecretThatSurviveReopening() {
        // Write the workspace as an old store did: the batch writer truncates its value.
        try (RocksDbStore old = RocksDbStore.open(
                RocksDbConfig.defaults(directory),
                writer -> writes -> writer.write(writes.stream()
                        .map(write -> write instanceof Layer.Write.Put put && put.column() == Column.WORKSPACES
                                ? new Layer.Write.Put(
                                        put.column(), put.key(), withoutBrowserSettings(acme, put.value()))
                                : write)
                        .toList()))) {
            old.insertWorkspace(acme);
        }

        Workspace first;
        try (RocksDbStore store = RocksDbStore.open(directory)) {
            first = store.findWorkspace(acme.id()).orElseThrow();
            assertThat(first.name()).isEqualTo("Acme");
            assertThat(first.rateLimitPerMinute()).hasValue(500);
            assertThat(first.browser().appId()).isNotEqualTo(acme.browser().appId());
            assertThat(store.listWorkspaces()).isEqualTo(List.of(first));
        }
        try (RocksDbStore reopened = RocksDbStore.open(directory)) {
            assertThat(reopened.findWorkspace(acme.id())).contains(first);
        }
    }
}
