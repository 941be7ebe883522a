package dev.tally.server;

import dev.tally.server.config.DatabaseConfig;
import dev.tally.storage.TallyStore;
import dev.tally.storage.postgres.PostgresConfig;
import dev.tally.storage.postgres.PostgresTallyStore;

/** Opens the PostgreSQL store; migrations run as it opens. */
final class PostgresStores {
    private PostgresStores() {}

    static TallyStore open(DatabaseConfig database) {
        PostgresConfig config =
                PostgresConfig.of(database.url(), database.user(), database.password(), database.poolSize());
        return PostgresTallyStore.open(database.schema().map(config::withSchema).orElse(config));
    }
}
