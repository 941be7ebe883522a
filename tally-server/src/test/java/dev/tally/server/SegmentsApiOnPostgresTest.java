package dev.tally.server;

import dev.tally.server.config.ServerConfig;
import java.nio.file.Path;

/** {@link SegmentsApiTest}, test for test, on PostgreSQL. */
class SegmentsApiOnPostgresTest extends SegmentsApiTest {
    @Override
    protected ServerConfig config(Path dir) {
        return TestingPostgres.serverConfig(dir);
    }
}
