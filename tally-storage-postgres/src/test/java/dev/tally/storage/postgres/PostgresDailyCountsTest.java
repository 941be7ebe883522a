package dev.tally.storage.postgres;

import dev.tally.storage.TallyStore;
import dev.tally.storage.testing.DailyCountsContract;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/** The daily counts on PostgreSQL: each test in a schema of its own, dropped after. */
class PostgresDailyCountsTest extends DailyCountsContract {
    private TestDatabase.Schema schema;

    @Override
    protected TallyStore newStore() {
        schema = TestDatabase.freshSchema();
        return schema.openStore();
    }

    @Override
    protected Optional<TallyStore> reopen(TallyStore closed) {
        return Optional.of(schema.openStore());
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema != null) {
            schema.close();
        }
    }
}
