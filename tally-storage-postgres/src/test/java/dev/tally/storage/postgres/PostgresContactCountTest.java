package dev.tally.storage.postgres;

import dev.tally.storage.TallyStore;
import dev.tally.storage.testing.ContactCountContract;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;

class PostgresContactCountTest extends ContactCountContract {
    private TestDatabase.Schema schema;

    @Override
    protected TallyStore newStore() {
        schema = TestDatabase.freshSchema();
        return schema.openStore();
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema != null) {
            schema.close();
        }
    }
}
