package dev.tally.storage.rocksdb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes not yet in the database, readable as if they were. The writer thread keeps one layer for
 * the batch it is building, and each command gets its own layer on top, so a command sees what
 * earlier commands of the same batch wrote (two events of one batch for the same key, summary or
 * tracked-key set) and a command that fails leaves nothing behind.
 */
final class Layer {
    /**
     * A write, kept in order so it can be replayed into the layer below and the WriteBatch. The
     * arrays are RocksDB's keys and values, passed on as they are and never compared as records.
     */
    @SuppressWarnings("ArrayRecordComponent")
    sealed interface Write {
        Column column();

        record Put(Column column, byte[] key, byte[] value) implements Write {}

        record Delete(Column column, byte[] key) implements Write {}

        record DeletePrefix(Column column, byte[] prefix) implements Write {}
    }

    /** Where a read goes when this layer does not decide it. */
    interface Below {
        Optional<byte[]> get(Column column, byte[] key) throws org.rocksdb.RocksDBException;
    }

    // A hash map, not a sorted one: a batch of a thousand events puts three thousand keys here, and
    // only the rare prefix delete needs order (it scans instead).
    private final Map<ColumnKey, Optional<byte[]>> entries = new HashMap<>();
    private final List<Write.DeletePrefix> deletedPrefixes = new ArrayList<>();
    private final List<Write> writes = new ArrayList<>();

    Optional<byte[]> get(Column column, byte[] key, Below below) throws org.rocksdb.RocksDBException {
        Optional<byte[]> own = entries.get(new ColumnKey(column, key));
        if (own != null) {
            return own;
        }
        for (Write.DeletePrefix deleted : deletedPrefixes) {
            if (deleted.column() == column && Keys.startsWith(key, deleted.prefix())) {
                return Optional.empty();
            }
        }
        return below.get(column, key);
    }

    void apply(Write write) {
        writes.add(write);
        switch (write) {
            case Write.Put put -> entries.put(new ColumnKey(put.column(), put.key()), Optional.of(put.value()));
            case Write.Delete delete -> entries.put(new ColumnKey(delete.column(), delete.key()), Optional.empty());
            case Write.DeletePrefix deletePrefix -> {
                entries.keySet()
                        .removeIf(entry -> entry.column() == deletePrefix.column()
                                && Keys.startsWith(entry.key(), deletePrefix.prefix()));
                deletedPrefixes.add(deletePrefix);
            }
        }
    }

    /** The writes in the order they were made; a view, valid until the next {@link #apply}. */
    List<Write> writes() {
        return Collections.unmodifiableList(writes);
    }
}
