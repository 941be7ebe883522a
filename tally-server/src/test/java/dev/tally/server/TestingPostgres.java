package dev.tally.server;

import dev.tally.server.config.DatabaseConfig;
import dev.tally.server.config.ServerConfig;
import dev.tally.workspace.RandomIds;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL the tests use: {@code TALLY_TEST_DATABASE_URL}. Without it the PostgreSQL tests
 * skip, saying how to enable them; under CI ({@code CI} set) they fail instead, so a CI run cannot
 * pass without having run them. Each server gets a fresh schema, so tests never see each other's rows.
 */
final class TestingPostgres {
    static final String URL_VARIABLE = "TALLY_TEST_DATABASE_URL";

    private TestingPostgres() {}

    /** A fresh schema's worth of database configuration, or the test is skipped (locally) or failed (CI). */
    static DatabaseConfig freshSchema() {
        String url = requireUrl();
        return new DatabaseConfig(
                url, Optional.empty(), Optional.empty(), 8, Optional.of("t_" + RandomIds.alphanumeric(12)));
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
