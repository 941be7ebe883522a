package dev.tally.storage.rocksdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes not yet in the database, readable as if they were. The writer thread keeps one layer for
 * the batch it is building, and each command gets its own layer on top, so a command sees what
 * earlier commands of the same batch wrote (two events of one batch for the same key, summary or
 * tracked-key set) and a command that fails leaves nothing behind.
 */
final class Layer {
    /** A write, kept in order so it can be replayed into the layer below and the WriteBatch. */
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

    private final Map<Column, TreeMap<byte[], Optional<byte[]>>> entries = new EnumMap<>(Column.class);
    private final Map<Column, List<byte[]>> deletedPrefixes = new EnumMap<>(Column.class);
    private final List<Write> writes = new ArrayList<>();

    Optional<byte[]> get(Column column, byte[] key, Below below) throws org.rocksdb.RocksDBException {
        Optional<byte[]> own = entries(column).get(key);
        if (own != null) {
            return own;
        }
        for (byte[] prefix : deletedPrefixes.getOrDefault(column, List.of())) {
            if (Keys.startsWith(key, prefix)) {
                return Optional.empty();
            }
        }
        return below.get(column, key);
    }

    void apply(Write write) {
        writes.add(write);
        switch (write) {
            case Write.Put put -> entries(put.column()).put(put.key(), Optional.of(put.value()));
            case Write.Delete delete -> entries(delete.column()).put(delete.key(), Optional.empty());
            case Write.DeletePrefix deletePrefix -> {
                entries(deletePrefix.column())
                        .subMap(deletePrefix.prefix(), Keys.upperBound(deletePrefix.prefix()))
                        .clear();
                deletedPrefixes
                        .computeIfAbsent(deletePrefix.column(), c -> new ArrayList<>())
                        .add(deletePrefix.prefix());
            }
        }
    }

    List<Write> writes() {
        return List.copyOf(writes);
    }

    private TreeMap<byte[], Optional<byte[]>> entries(Column column) {
        return entries.computeIfAbsent(column, c -> new TreeMap<>(Arrays::compareUnsigned));
    }
}
