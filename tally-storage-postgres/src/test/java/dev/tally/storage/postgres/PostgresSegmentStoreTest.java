package dev.tally.storage.postgres;

import dev.tally.storage.TallyStore;
import dev.tally.storage.testing.SegmentStoreContract;
import java.sql.SQLException;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.PropagationMode;

/** The catalog, index and search contract on PostgreSQL, each store in a schema of its own, dropped after. */
@AddLifecycleHook(value = SkipWithoutDatabase.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class PostgresSegmentStoreTest extends SegmentStoreContract {
    private TestDatabase.Schema schema;

    @Override
    protected TallyStore newStore() {
        schema = TestDatabase.freshSchema();
        return schema.openStore();
    }

    @Override
    protected void closeStore(TallyStore closing) {
        closing.close();
        try {
            schema.close();
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop the test schema", e);
        }
    }
}
