package dev.tally.storage.rocksdb;

import dev.tally.storage.TallyStore;
import dev.tally.storage.testing.WebhookStoreContract;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** The webhook contract on RocksDB. */
class RocksDbWebhookStoreTest extends WebhookStoreContract {
    @TempDir
    Path directory;

    @Override
    protected TallyStore newStore() {
        return RocksDbStore.open(directory.resolve("db"));
    }

    @Override
    protected Optional<TallyStore> reopen(TallyStore closed) {
        return Optional.of(RocksDbStore.open(directory.resolve("db")));
    }
}
