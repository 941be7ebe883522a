package dev.tally.server;

import dev.tally.server.config.ServerConfig;
import dev.tally.storage.TallyStore;
import dev.tally.storage.rocksdb.RocksDbStore;
import java.nio.file.Path;

/** Opens the store the configuration names. */
public final class Stores {
    private Stores() {}

    static TallyStore open(ServerConfig config) {
        return switch (config.storage()) {
            case ROCKSDB -> RocksDbStore.open(rocksDbDirectory(config.dataDir()));
            case POSTGRES -> PostgresStores.open(config.database().orElseThrow());
        };
    }

    public static Path rocksDbDirectory(Path dataDir) {
        return dataDir.resolve("rocksdb");
    }
}
