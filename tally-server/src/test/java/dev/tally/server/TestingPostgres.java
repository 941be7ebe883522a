package dev.tally.server;

import dev.tally.server.config.DatabaseConfig;
import dev.tally.server.config.ServerConfig;
import dev.tally.workspace.RandomIds;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The PostgreSQL the tests use: {@code TALLY_TEST_DATABASE_URL}. Without it the PostgreSQL tests
 * skip, saying how to enable them; under CI ({@code CI} set) they fail instead, so a CI run cannot
 * pass without having run them. Each server gets a fresh schema, so tests never see each other's rows;
 * a test class that uses them is annotated {@code @ExtendWith(TestingPostgres.DropSchemas.class)}, which
 * drops them after its last test.
 */
final class TestingPostgres {
    static final String URL_VARIABLE = "TALLY_TEST_DATABASE_URL";

    /** Schemas handed out and not dropped yet. */
    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();

    private TestingPostgres() {}

    /** A fresh schema's worth of database configuration, or the test is skipped (locally) or failed (CI). */
    static DatabaseConfig freshSchema() {
        String url = requireUrl();
        String schema = "t_" + RandomIds.alphanumeric(12).toLowerCase(Locale.ROOT);
        CREATED.add(schema);
        return new DatabaseConfig(url, Optional.empty(), Optional.empty(), 8, Optional.of(schema));
    }

    /** Drops the schemas this class's tests created, once its servers are closed. */
    static final class DropSchemas implements AfterAllCallback {
        @Override
        public void afterAll(ExtensionContext context) throws SQLException {
            if (CREATED.isEmpty()) {
                return;
            }
            try (Connection connection = DriverManager.getConnection(System.getenv(URL_VARIABLE));
                    Statement statement = connection.createStatement()) {
                for (String schema : List.copyOf(CREATED)) {
                    statement.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
                    CREATED.remove(schema);
                }
            }
        }
    }

    /** The embedded test configuration switched to PostgreSQL in a fresh schema. */
    static ServerConfig serverConfig(java.nio.file.Path dataDir) {
        return TestingServer.config(dataDir).withPostgres(freshSchema());
    }

    private static String requireUrl() {
        String url = System.getenv(URL_VARIABLE);
        boolean ci = System.getenv("CI") != null;
        String howTo = "PostgreSQL tests need " + URL_VARIABLE + ", e.g. eval \"$(.ci/postgres-setup)\" "
                + "(installs/starts PostgreSQL and prints export " + URL_VARIABLE
                + "=jdbc:postgresql://127.0.0.1:5432/tally_test?user=tally&password=tally)";
        if (url == null || url.isBlank()) {
            if (ci) {
                throw new IllegalStateException("CI is set but " + howTo);
            }
            Assumptions.abort(howTo);
        }
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.isValid(5);
        } catch (SQLException e) {
            if (ci) {
                throw new IllegalStateException(
                        "PostgreSQL at " + URL_VARIABLE + " is unreachable: " + e.getMessage(), e);
            }
            Assumptions.abort("PostgreSQL at " + URL_VARIABLE + " is unreachable (" + e.getMessage() + "); " + howTo);
        }
        return url;
    }
}
