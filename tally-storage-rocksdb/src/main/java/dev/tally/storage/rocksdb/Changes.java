package dev.tally.storage.rocksdb;

import java.util.List;
import java.util.Optional;
import org.rocksdb.RocksDBException;

/**
 * What one write command sees and does: reads go through its own writes, then the writes of earlier
 * commands in the same batch, then the database. Its writes become visible to later commands only
 * if it completes, and durable only when the whole batch commits.
 */
final class Changes {
    private final Layer own = new Layer();
    private final Layer batch;
    private final Layer.Below database;

    Changes(Layer batch, Layer.Below database) {
        this.batch = batch;
        this.database = database;
    }

    Optional<byte[]> get(Column column, byte[] key) throws RocksDBException {
        return own.get(column, key, (c, k) -> batch.get(c, k, database));
    }

    boolean exists(Column column, byte[] key) throws RocksDBException {
        return get(column, key).isPresent();
    }

    void put(Column column, byte[] key, byte[] value) {
        own.apply(new Layer.Write.Put(column, key, value));
    }

    void delete(Column column, byte[] key) {
        own.apply(new Layer.Write.Delete(column, key));
    }

    /** Deletes every key that starts with {@code prefix}, including ones written earlier in the batch. */
    void deletePrefix(Column column, byte[] prefix) {
        own.apply(new Layer.Write.DeletePrefix(column, prefix));
    }

    List<Layer.Write> writes() {
        return own.writes();
    }
}
