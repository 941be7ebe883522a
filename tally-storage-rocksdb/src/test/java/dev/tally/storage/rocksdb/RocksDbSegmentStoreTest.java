package dev.tally.storage.rocksdb;

import dev.tally.storage.TallyStore;
import dev.tally.storage.testing.SegmentStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The RocksDB store against the catalog, index and search contract, each store in its own directory. */
class RocksDbSegmentStoreTest extends SegmentStoreContract {
    private Path directory;

    @Override
    protected TallyStore newStore() {
        try {
            directory = Files.createTempDirectory("tally-segments");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return RocksDbStore.open(directory.resolve("db"));
    }

    @Override
    protected void closeStore(TallyStore closing) {
        closing.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
