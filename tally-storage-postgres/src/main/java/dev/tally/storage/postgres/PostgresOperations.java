package dev.tally.storage.postgres;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.tally.storage.StoreOperations;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Group commits, the connection pool's and the summary searches' figures; backups are PostgreSQL's own (pg_dump, base backups). */
final class PostgresOperations implements StoreOperations {
    private final GroupCommitter committer;
    private final HikariDataSource dataSource;
    private final Supplier<Map<String, Double>> searchFigures;

    PostgresOperations(
            GroupCommitter committer, HikariDataSource dataSource, Supplier<Map<String, Double>> searchFigures) {
        this.committer = committer;
        this.dataSource = dataSource;
        this.searchFigures = searchFigures;
    }

    @Override
    public void onGroupCommit(GroupCommitListener listener) {
        committer.onCommit(listener);
    }

    @Override
    public Map<String, Double> statistics() {
        Map<String, Double> figures = new LinkedHashMap<>();
        HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
        if (pool != null) {
            figures.put("pool_active_connections", (double) pool.getActiveConnections());
            figures.put("pool_idle_connections", (double) pool.getIdleConnections());
            figures.put("pool_pending_threads", (double) pool.getThreadsAwaitingConnection());
        }
        figures.putAll(searchFigures.get());
        return figures;
    }

    @Override
    public void backup(Path target) {
        throw new UnsupportedOperationException(
                "a PostgreSQL store is backed up with PostgreSQL's tools: pg_dump, or base backups with WAL"
                        + " archiving for point-in-time recovery (see README, Operating Tally)");
    }
}
