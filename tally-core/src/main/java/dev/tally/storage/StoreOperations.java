package dev.tally.storage;

import java.nio.file.Path;
import java.util.Map;

/**
 * What an operator sees of a store and may ask of it, apart from the data: its group commits and
 * engine figures for metrics, and a consistent backup. Nothing here is on the request path.
 */
public interface StoreOperations {
    /** Told of every group commit: how many writes it carried and how long it took, on the committing thread. */
    @FunctionalInterface
    interface GroupCommitListener {
        void committed(int writes, long nanos);
    }

    /** A store with no group commits, no engine figures and no backup (the in-memory store). */
    StoreOperations NONE = new StoreOperations() {
        @Override
        public void onGroupCommit(GroupCommitListener listener) {}

        @Override
        public Map<String, Double> statistics() {
            return Map.of();
        }

        @Override
        public void backup(Path target) {
            throw new UnsupportedOperationException("this store keeps nothing on disk to back up");
        }
    };

    /** Sets the one listener of group commits (the last one set wins); it must be cheap. */
    void onGroupCommit(GroupCommitListener listener);

    /**
     * The storage engine's own figures, by metric-style name (RocksDB's properties such as the size of
     * its memtables), read when metrics are scraped.
     */
    Map<String, Double> statistics();

    /**
     * Writes a consistent copy of everything committed so far into {@code target}, which must not exist,
     * while writes go on. Throws {@link UnsupportedOperationException} for a store backed up by other
     * means (PostgreSQL: pg_dump, or base backups with WAL archiving).
     */
    void backup(Path target);
}
