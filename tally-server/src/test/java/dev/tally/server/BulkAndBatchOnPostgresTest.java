package dev.tally.server;

import dev.tally.server.config.ServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link BulkAndBatchTest}, test for test, on PostgreSQL. */
@ExtendWith(TestingPostgres.DropSchemas.class)
class BulkAndBatchOnPostgresTest extends BulkAndBatchTest {
    @Override
    protected ServerConfig config(Path dir) {
        return TestingPostgres.serverConfig(dir);
    }
}
