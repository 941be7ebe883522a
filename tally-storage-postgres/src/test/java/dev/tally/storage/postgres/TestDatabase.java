package dev.tally.storage.postgres;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL the tests run against, named by {@value #URL_VARIABLE}. Without it a test is
 * skipped with a message saying how to get one, except under CI (variable {@code CI} set), where a
 * skipped database test would hide that nothing was tested: there it fails.
 *
 * <p>Each {@link #freshSchema()} gets a schema of its own, so tests neither see nor disturb each
 * other, and dropping it is the whole clean-up.
 */
final class TestDatabase {
    static final String URL_VARIABLE = "TALLY_TEST_DATABASE_URL";

    private static final String HOW_TO_ENABLE = URL_VARIABLE
            + " is not set, so the PostgreSQL store tests cannot run. To run them, as root:"
            + " eval \"$(.ci/postgres-setup)\" (installs PostgreSQL if absent, starts it, creates role and"
            + " database, prints the export); or start PostgreSQL yourself (pg_ctlcluster 15 main start),"
            + " create a role and database, and"
            + " export TALLY_TEST_DATABASE_URL='jdbc:postgresql://127.0.0.1:5432/tally_test?user=tally&password=tally'";

    private TestDatabase() {}

    /** The configured database, or the test is skipped (failed under CI). */
    static PostgresConfig config() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            if (System.getenv("CI") != null) {
                fail("CI is set and " + HOW_TO_ENABLE);
            }
            Assumptions.abort(HOW_TO_ENABLE);
        }
        return PostgresConfig.of(url, Optional.empty(), Optional.empty(), 4);
    }

    static Schema freshSchema() {
        return new Schema(
                config().withSchema("tally_test_" + UUID.randomUUID().toString().replace("-", "")));
    }

    static Connection connect(PostgresConfig config) throws SQLException {
        Properties properties = new Properties();
        config.user().ifPresent(user -> properties.setProperty("user", user));
        config.password().ifPresent(password -> properties.setProperty("password", password));
        return DriverManager.getConnection(config.jdbcUrl(), properties);
    }

    /** A schema of one test's own; stores opened on it are "nodes" sharing one database. */
    record Schema(PostgresConfig config) implements AutoCloseable {
        String name() {
            return config.schema().orElseThrow();
        }

        PostgresTallyStore openStore() {
            return PostgresTallyStore.open(config);
        }

        @Override
        public void close() throws SQLException {
            try (Connection connection = connect(config);
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + name() + " CASCADE");
            }
        }
    }
}
