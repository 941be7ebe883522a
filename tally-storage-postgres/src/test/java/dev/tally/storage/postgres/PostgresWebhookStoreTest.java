package dev.tally.storage.postgres;

import dev.tally.storage.TallyStore;
import dev.tally.storage.testing.WebhookStoreContract;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/** The webhook contract on PostgreSQL, each test in a schema of its own. */
class PostgresWebhookStoreTest extends WebhookStoreContract {
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
