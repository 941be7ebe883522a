package dev.tally.server;

import dev.tally.server.config.ServerConfig;
import java.nio.file.Path;

/** Every segment webhook test again, on PostgreSQL (each server in a fresh schema). */
class SegmentWebhooksOnPostgresTest extends SegmentWebhooksTest {
    @Override
    protected ServerConfig config(Path dir) {
        return TestingPostgres.serverConfig(dir);
    }
}
