package dev.tally.storage.postgres;

import dev.tally.storage.TallyStore;
import dev.tally.storage.testing.TallyStoreContract;
import java.sql.SQLException;
import java.util.Optional;

/** The storage contract, test for test, on PostgreSQL: each test in a schema of its own, dropped after. */
class PostgresTallyStoreContractTest extends TallyStoreContract {
    private TestDatabase.Schema schema;

    @Override
    protected TallyStore newStore() {
        schema = TestDatabase.freshSchema();
        return schema.openStore();
    }

    @Override
    protected void closeStore(TallyStore closing) {
        closing.close();
    }

    @Override
    protected Optional<TallyStore> reopen(TallyStore closed) {
        return Optional.of(schema.openStore());
    }

    @org.junit.jupiter.api.AfterEach
    void dropSchema() throws SQLException {
        if (schema != null) {
            schema.close();
        }
    }
}
