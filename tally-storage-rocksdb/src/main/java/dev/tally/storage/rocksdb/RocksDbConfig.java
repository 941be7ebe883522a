package dev.tally.storage.rocksdb;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Where the store lives and how much memory it may use. The defaults suit a small box (2 cores, a
 * few hundred MiB for the whole service); see {@link RocksDbStore} for why.
 *
 * @param directory the data directory, created if missing
 * @param blockCacheBytes the block cache shared by all column families, index and filter blocks included
 * @param writeBufferBytes one memtable's size; all memtables together are capped at twice this
 * @param maxCommandsPerCommit how many queued writes one group commit takes at most
 */
public record RocksDbConfig(Path directory, long blockCacheBytes, long writeBufferBytes, int maxCommandsPerCommit) {
    public static final long DEFAULT_BLOCK_CACHE_BYTES = 64L << 20;
    public static final long DEFAULT_WRITE_BUFFER_BYTES = 16L << 20;
    public static final int DEFAULT_MAX_COMMANDS_PER_COMMIT = 1024;

    public RocksDbConfig {
        requireNonNull(directory, "directory is null");
        if (blockCacheBytes < (1L << 20)) {
            throw new IllegalArgumentException("blockCacheBytes must be at least 1 MiB");
        }
        if (writeBufferBytes < (1L << 20)) {
            throw new IllegalArgumentException("writeBufferBytes must be at least 1 MiB");
        }
        if (maxCommandsPerCommit < 1) {
            throw new IllegalArgumentException("maxCommandsPerCommit must be positive");
        }
    }

    public static RocksDbConfig defaults(Path directory) {
        return new RocksDbConfig(
                directory, DEFAULT_BLOCK_CACHE_BYTES, DEFAULT_WRITE_BUFFER_BYTES, DEFAULT_MAX_COMMANDS_PER_COMMIT);
    }
}
