package dev.tally.server;

import dev.tally.server.config.ServerConfig;
import dev.tally.storage.TallyStore;
import dev.tally.storage.rocksdb.RocksDbConfig;
import dev.tally.storage.rocksdb.RocksDbStore;
import java.nio.file.Path;

/** Opens the store the configuration names. */
public final class Stores {
    private Stores() {}

    static TallyStore open(ServerConfig config) {
        return switch (config.storage()) {
            case ROCKSDB -> RocksDbStore.open(rocksDbConfig(config.dataDir()));
            case POSTGRES -> PostgresStores.open(config.database().orElseThrow());
        };
    }

    /**
     * The documented tuning. The JVM property {@code tally.rocksdb.write-buffer-bytes} (not a setting)
     * shrinks the memtables: the crash test uses it to make flushes and compactions run all the time.
     */
    static RocksDbConfig rocksDbConfig(Path dataDir) {
        RocksDbConfig defaults = RocksDbConfig.defaults(rocksDbDirectory(dataDir));
        Long writeBuffer = Long.getLong("tally.rocksdb.write-buffer-bytes");
        return writeBuffer == null
                ? defaults
                : new RocksDbConfig(
                        defaults.directory(), defaults.blockCacheBytes(), writeBuffer, defaults.maxCommandsPerCommit());
    }

    public static Path rocksDbDirectory(Path dataDir) {
        return dataDir.resolve("rocksdb");
    }
}
