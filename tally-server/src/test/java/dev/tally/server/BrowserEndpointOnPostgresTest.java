package dev.tally.server;

import dev.tally.server.config.ServerConfig;
import java.nio.file.Path;

/** {@link BrowserEndpointTest}, test for test, on PostgreSQL. */
class BrowserEndpointOnPostgresTest extends BrowserEndpointTest {
    @Override
    protected ServerConfig config(Path dir) {
        return TestingPostgres.serverConfig(dir);
    }
}
