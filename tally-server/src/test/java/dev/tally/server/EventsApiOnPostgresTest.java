package dev.tally.server;

import dev.tally.server.config.ServerConfig;
import java.nio.file.Path;

/** {@link EventsApiTest}, test for test, on PostgreSQL. */
class EventsApiOnPostgresTest extends EventsApiTest {
    @Override
    protected ServerConfig config(Path dir) {
        return TestingPostgres.serverConfig(dir);
    }
}
