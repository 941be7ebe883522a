package dev.tally.server;

import dev.tally.server.config.ServerConfig;
import java.nio.file.Path;

/** {@link BulkAndBatchTest}, test for test, on PostgreSQL. */
class BulkAndBatchOnPostgresTest extends BulkAndBatchTest {
    @Override
    protected ServerConfig config(Path dir) {
        return TestingPostgres.serverConfig(dir);
    }
}
