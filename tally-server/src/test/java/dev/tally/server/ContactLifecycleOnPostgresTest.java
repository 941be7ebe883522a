package dev.tally.server;

import dev.tally.server.config.ServerConfig;
import java.nio.file.Path;

/** {@link ContactLifecycleTest}, test for test, on PostgreSQL. */
class ContactLifecycleOnPostgresTest extends ContactLifecycleTest {
    @Override
    protected ServerConfig config(Path dir) {
        return TestingPostgres.serverConfig(dir);
    }
}
