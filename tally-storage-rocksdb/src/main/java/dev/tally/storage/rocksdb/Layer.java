package dev.tally.storage.rocksdb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes not yet in the database, readable as if they were. The writer thread keeps one layer for
 * the batch it is building; each command writes straight into it, so a command sees what earlier
 * commands of the same batch wrote (two events of one batch for the same key, summary or
 * tracked-key set). What a command changes is remembered until the command ends, so one that fails
 * is rolled back and leaves nothing behind ({@link #rollback}); one that succeeds is kept
 * ({@link #keep}).
 *
 * <p>One layer per batch, not one per command on top of it: every write was a hash-map put twice
 * and every read a lookup twice, which showed in the writer's profile once an event made five
 * writes (event, summary, index, and the catalog and daily counts before they became {@link
 * Deltas}). Only the last value of a key reaches the WriteBatch ({@link #writes}).
 */
final class Layer {
    /**
     * A write, as the WriteBatch receives it. The arrays are RocksDB's keys and values, passed on
     * as they are and never compared as records.
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

    /** How to take back one change of the running command. */
    private sealed interface Undo {
        /** The key held {@code previous} before ({@code present}), or was not in the layer. */
        record Restore(ColumnKey key, boolean present, Optional<byte[]> previous) implements Undo {}

        /** The command added the last of {@link #deletedPrefixes}. */
        record PrefixAdded() implements Undo {}
    }

    // A hash map, not a sorted one: a batch of a thousand events puts thousands of keys here, and
    // only the rare prefix delete needs order (it scans instead).
    private final Map<ColumnKey, Optional<byte[]>> entries = new HashMap<>();
    private final List<Write.DeletePrefix> deletedPrefixes = new ArrayList<>();
    private final List<Undo> undo = new ArrayList<>();

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

    void put(Column column, byte[] key, byte[] value) {
        set(new ColumnKey(column, key), Optional.of(value));
    }

    void delete(Column column, byte[] key) {
        set(new ColumnKey(column, key), Optional.empty());
    }

    /** Deletes every key that starts with {@code prefix}, including ones written earlier in the batch. */
    void deletePrefix(Column column, byte[] prefix) {
        Iterator<Map.Entry<ColumnKey, Optional<byte[]>>> iterator =
                entries.entrySet().iterator();
        while (iterator.hasNext()) {
            Map.Entry<ColumnKey, Optional<byte[]>> entry = iterator.next();
            if (entry.getKey().column() == column
                    && Keys.startsWith(entry.getKey().key(), prefix)) {
                undo.add(new Undo.Restore(entry.getKey(), true, entry.getValue()));
                iterator.remove();
            }
        }
        deletedPrefixes.add(new Write.DeletePrefix(column, prefix));
        undo.add(new Undo.PrefixAdded());
    }

    private void set(ColumnKey key, Optional<byte[]> value) {
        Optional<byte[]> previous = entries.put(key, value);
        undo.add(new Undo.Restore(key, previous != null, previous == null ? Optional.empty() : previous));
    }

    /** The running command succeeded: its changes stay. */
    void keep() {
        undo.clear();
    }

    /** The running command failed: takes back every change it made, newest first. */
    void rollback() {
        for (int i = undo.size() - 1; i >= 0; i--) {
            switch (undo.get(i)) {
                case Undo.Restore restore -> {
                    if (restore.present()) {
                        entries.put(restore.key(), restore.previous());
                    } else {
                        entries.remove(restore.key());
                    }
                }
                case Undo.PrefixAdded added -> deletedPrefixes.remove(deletedPrefixes.size() - 1);
            }
        }
        undo.clear();
    }

    /**
     * What the batch amounts to: the prefix deletes first, in order, then the last value of each key
     * written. A key written before a prefix delete that covers it was dropped from the layer by
     * that delete, and one written after it comes after it here too, so the result is the same as
     * replaying every write in order, with one put per key instead of one per write.
     */
    List<Write> writes() {
        List<Write> writes = new ArrayList<>(deletedPrefixes.size() + entries.size());
        writes.addAll(deletedPrefixes);
        entries.forEach((key, value) -> writes.add(
                value.isPresent()
                        ? new Write.Put(key.column(), key.key(), value.get())
                        : new Write.Delete(key.column(), key.key())));
        return writes;
    }
}
