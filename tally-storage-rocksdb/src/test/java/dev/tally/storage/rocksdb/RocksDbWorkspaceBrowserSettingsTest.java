package dev.tally.storage.rocksdb;

import dev.tally.storage.TallyStore;
import dev.tally.storage.testing.WorkspaceBrowserSettingsContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class RocksDbWorkspaceBrowserSettingsTest extends WorkspaceBrowserSettingsContract {
    @TempDir
    Path directory;

    @Override
    protected TallyStore newStore() {
        return RocksDbStore.open(directory);
    }
}
