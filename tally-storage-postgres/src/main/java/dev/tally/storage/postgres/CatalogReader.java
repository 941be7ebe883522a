package dev.tally.storage.postgres;

import dev.tally.catalog.CatalogEntry;
import dev.tally.catalog.KeyType;
import dev.tally.contact.ContactId;
import dev.tally.event.EventName;
import dev.tally.workspace.WorkspaceId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collector;

/** Reads the event catalog, and takes a deleted contact out of it. */
final class CatalogReader {
    /** One row per (name, key), keys in tracked order; a name without keys has one row with a null key. */
    static final String CATALOG = """
            SELECT c.name, c.event_count, c.contact_count, c.first_seen, c.last_seen, c.archived, k.key, k.types
            FROM event_catalog c
            LEFT JOIN event_catalog_keys k ON k.workspace_id = c.workspace_id AND k.name = c.name
            LEFT JOIN tracked_keys t ON t.workspace_id = c.workspace_id AND t.name = c.name
            WHERE c.workspace_id = ?
            ORDER BY c.name, array_position(t.keys, k.key), k.key""";

    /**
     * The contact's summary rows are deleted here, and what they counted is taken from the catalog,
     * in one statement: the rows deleted are exactly the ones subtracted, whatever runs concurrently.
     * Each name that lost a row gets its version bumped (see {@link SummaryCopies}).
     */
    private static final String DELETE_SUMMARIES = """
            WITH gone AS (
                DELETE FROM event_summaries WHERE workspace_id = ? AND contact_id = ?
                RETURNING name, event_count)
            UPDATE event_catalog c SET
                version = c.version + 1,
                event_count = c.event_count - gone.event_count,
                contact_count = c.contact_count - 1
            FROM gone WHERE c.workspace_id = ? AND c.name = gone.name""";

    private CatalogReader() {}

    record Row(
            String name,
            long count,
            long contacts,
            long first,
            long last,
            boolean archived,
            Optional<String> key,
            int types) {}

    static Row row(ResultSet rows) throws SQLException {
        return new Row(
                rows.getString(1),
                rows.getLong(2),
                rows.getLong(3),
                rows.getLong(4),
                rows.getLong(5),
                rows.getBoolean(6),
                Optional.ofNullable(rows.getString(7)),
                rows.getInt(8));
    }

    /** Folds the rows of {@link #CATALOG} into entries, by name. */
    static Collector<Row, ?, List<CatalogEntry>> entries() {
        return Collector.<Row, Map<String, List<Row>>, List<CatalogEntry>>of(
                LinkedHashMap::new,
                (byName, row) -> byName.computeIfAbsent(row.name(), name -> new ArrayList<>())
                        .add(row),
                (left, right) -> {
                    left.putAll(right);
                    return left;
                },
                byName -> byName.values().stream().map(CatalogReader::entry).toList());
    }

    private static CatalogEntry entry(List<Row> rows) {
        Row first = rows.get(0);
        Map<String, Set<KeyType>> keys = new LinkedHashMap<>();
        for (Row row : rows) {
            row.key().ifPresent(key -> keys.put(key, CatalogWriter.types(row.types())));
        }
        return new CatalogEntry(
                new EventName(first.name()),
                first.count(),
                first.contacts(),
                first.first(),
                first.last(),
                keys,
                first.archived());
    }

    static void contactDeleted(Connection connection, WorkspaceId workspaceId, ContactId id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(DELETE_SUMMARIES)) {
            statement.setString(1, workspaceId.value());
            statement.setString(2, id.value());
            statement.setString(3, workspaceId.value());
            statement.executeUpdate();
        }
    }
}
