package dev.tally.server.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Where the PostgreSQL store connects: a JDBC URL, with credentials in it or given apart, and
 * optionally the schema that holds Tally's tables (default: the connection's own).
 */
public record DatabaseConfig(
        String url, Optional<String> user, Optional<String> password, int poolSize, Optional<String> schema) {
    public DatabaseConfig {
        requireNonNull(url, "url is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        requireNonNull(schema, "schema is null");
        if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
            throw new IllegalArgumentException("TALLY_DATABASE_URL must be jdbc:postgresql://… or postgresql://…");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool size must be >= 1");
        }
    }

    /** The password, and any password in the URL, shown as {@code ***}: config is logged and printed. */
    @Override
    public String toString() {
        return "DatabaseConfig[url=" + Secrets.redactUrl(url)
                + ", user=" + user
                + ", password=" + Secrets.redact(password)
                + ", poolSize=" + poolSize
                + ", schema=" + schema + "]";
    }
}
