package dev.tally.storage.rocksdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rocksdb.RocksDBException;

/**
 * What one write command sees and does: reads go through the writes of the batch so far (its own
 * and earlier commands'), then the database. Its writes go into the batch's {@link Layer}, which
 * takes them back if the command fails, and become durable only when the whole batch commits.
 * Additions that commute go to {@link #deltas()} and reach the layer when the batch ends.
 */
final class Changes {
    private final Layer batch;
    private final Layer.Below database;
    private final Deltas deltas = new Deltas();
    private final Deltas batchDeltas;
    private final List<Runnable> afterCommit = new ArrayList<>();

    Changes(Layer batch, Layer.Below database, Deltas batchDeltas) {
        this.batch = batch;
        this.database = database;
        this.batchDeltas = batchDeltas;
    }

    Optional<byte[]> get(Column column, byte[] key) throws RocksDBException {
        return batch.get(column, key, database);
    }

    boolean exists(Column column, byte[] key) throws RocksDBException {
        return get(column, key).isPresent();
    }

    void put(Column column, byte[] key, byte[] value) {
        batch.put(column, key, value);
    }

    void delete(Column column, byte[] key) {
        batch.delete(column, key);
    }

    /** Deletes every key that starts with {@code prefix}, including ones written earlier in the batch. */
    void deletePrefix(Column column, byte[] prefix) {
        batch.deletePrefix(column, prefix);
    }

    /** This command's additions to counters and catalog entries, applied when the batch ends. */
    Deltas deltas() {
        return deltas;
    }

    /**
     * Runs {@code action} on the writer once the batch is durable, before any caller hears of it;
     * never if this command fails or the batch does not commit. For in-memory state that must
     * follow what is committed, not what is about to be.
     */
    void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    List<Runnable> afterCommitActions() {
        return afterCommit;
    }

    /** Whether this command or an earlier one of the batch has catalog changes for {@code key}. */
    boolean catalogPending(byte[] key) {
        return deltas.touchesCatalog(key) || batchDeltas.touchesCatalog(key);
    }
}
