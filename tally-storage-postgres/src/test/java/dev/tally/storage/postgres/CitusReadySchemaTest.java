package dev.tally.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Keeps the schema distributable with Citus: a distributed table's primary key and unique
 * constraints must contain its distribution column, or Citus refuses to distribute it (and a
 * uniqueness it could not enforce across shards would silently stop holding). Checked on the
 * catalog after the real migrations ran, so any way of declaring a key is covered. Also keeps
 * docs/scaling.md naming every table with how it is distributed.
 */
class CitusReadySchemaTest {
    static final String DISTRIBUTION_COLUMN = "workspace_id";
    /** Small, read everywhere, looked up across workspaces: replicated whole to every worker. */
    static final Set<String> REFERENCE_TABLES = Set.of("workspaces", "access_tokens");

    private static final String FLYWAY_HISTORY = "flyway_schema_history";

    @Test
    void everyUniqueKeyOfADistributedTableContainsWorkspaceId() throws Exception {
        try (TestDatabase.Schema schema = TestDatabase.freshSchema()) {
            schema.openStore().close();
            TreeMap<String, List<String>> uniqueKeys = uniqueKeys(schema);
            assertThat(uniqueKeys).isNotEmpty();

            List<String> violations = new ArrayList<>();
            uniqueKeys.forEach((index, columns) -> {
                String table = index.substring(0, index.indexOf('.'));
                if (!REFERENCE_TABLES.contains(table) && !columns.contains(DISTRIBUTION_COLUMN)) {
                    violations.add(index + " " + columns);
                }
            });
            assertThat(violations)
                    .as(
                            "unique keys of distributed tables without %s (add it, or make the table a"
                                    + " reference table and say why in docs/scaling.md)",
                            DISTRIBUTION_COLUMN)
                    .isEmpty();
        }
    }

    @Test
    void everyTableIsDistributedByWorkspaceIdOrAReferenceTableAndDocumentedSo() throws Exception {
        try (TestDatabase.Schema schema = TestDatabase.freshSchema()) {
            schema.openStore().close();
            Set<String> tables = tables(schema);
            assertThat(tables).containsAll(REFERENCE_TABLES);

            String scaling = Files.readString(Path.of("..", "docs", "scaling.md"));
            for (String table : tables) {
                if (REFERENCE_TABLES.contains(table)) {
                    assertThat(scaling).contains("create_reference_table('" + table + "')");
                } else {
                    assertThat(columns(schema, table)).contains(DISTRIBUTION_COLUMN);
                    assertThat(scaling)
                            .contains("create_distributed_table('" + table + "', '" + DISTRIBUTION_COLUMN + "'");
                }
            }
        }
    }

    /** Every unique index (primary keys and unique constraints included) as "table.index" to its columns. */
    private static TreeMap<String, List<String>> uniqueKeys(TestDatabase.Schema schema) throws Exception {
        String sql = """
                SELECT t.relname, i.relname,
                       array(SELECT coalesce(a.attname, '(expression)')
                             FROM unnest(x.indkey) AS k(attnum)
                             LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum)
                FROM pg_index x
                JOIN pg_class t ON t.oid = x.indrelid
                JOIN pg_class i ON i.oid = x.indexrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE n.nspname = ? AND x.indisunique AND t.relname <> ?
                UNION ALL
                SELECT t.relname, c.conname, array['(exclusion constraint)']
                FROM pg_constraint c
                JOIN pg_class t ON t.oid = c.conrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE n.nspname = ? AND c.contype = 'x'""";
        TreeMap<String, List<String>> keys = new TreeMap<>();
        try (Connection connection = TestDatabase.connect(schema.config());
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema.name());
            statement.setString(2, FLYWAY_HISTORY);
            statement.setString(3, schema.name());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    keys.put(rows.getString(1) + "." + rows.getString(2), Arrays.asList((String[])
                            rows.getArray(3).getArray()));
                }
            }
        }
        return keys;
    }

    private static Set<String> tables(TestDatabase.Schema schema) throws Exception {
        return strings(
                schema,
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_name <> ?",
                schema.name(),
                FLYWAY_HISTORY);
    }

    private static Set<String> columns(TestDatabase.Schema schema, String table) throws Exception {
        return strings(
                schema,
                "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
                schema.name(),
                table);
    }

    private static Set<String> strings(TestDatabase.Schema schema, String sql, String first, String second)
            throws Exception {
        Set<String> values = new TreeSet<>();
        try (Connection connection = TestDatabase.connect(schema.config());
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, first);
            statement.setString(2, second);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
        }
        return values;
    }
}
