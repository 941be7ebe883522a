package dev.tally.storage.rocksdb;

import dev.tally.storage.TallyStore;
import dev.tally.storage.testing.DailyCountsContract;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

class RocksDbDailyCountsTest extends DailyCountsContract {
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
