package dev.tally.storage.postgres;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the PostgreSQL store connects. {@code jdbcUrl} is a {@code jdbc:postgresql:} URL; user and
 * password may be in it or given apart. {@code schema}, when present, holds Tally's tables instead
 * of the connection's default schema (created if missing).
 */
public record PostgresConfig(
        String jdbcUrl, Optional<String> user, Optional<String> password, int poolSize, Optional<String> schema) {
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public PostgresConfig {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        requireNonNull(schema, "schema is null");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("database URL must start with jdbc:postgresql:");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool size must be >= 1");
        }
        schema.ifPresent(name -> {
            if (!SCHEMA_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("schema must be a lower-case identifier: " + name);
            }
        });
    }

    /**
     * A configuration from {@code TALLY_DATABASE_URL} and friends. Accepts a JDBC URL or a libpq
     * URI ({@code postgresql://user:secret@host:5432/tally?sslmode=require}); a user or password
     * in the URI is used unless given apart.
     */
    public static PostgresConfig of(String url, Optional<String> user, Optional<String> password, int poolSize) {
        requireNonNull(url, "url is null");
        if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
            return fromLibpqUri(url, user, password, poolSize);
        }
        return new PostgresConfig(url, user, password, poolSize, Optional.empty());
    }

    public PostgresConfig withSchema(String name) {
        return new PostgresConfig(jdbcUrl, user, password, poolSize, Optional.of(name));
    }

    private static PostgresConfig fromLibpqUri(
            String url, Optional<String> user, Optional<String> password, int poolSize) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("database URL is not a valid URI: " + e.getReason(), e);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("database URL has no host");
        }
        String userInfo = Optional.ofNullable(uri.getRawUserInfo()).orElse("");
        int colon = userInfo.indexOf(':');
        Optional<String> uriUser = userInfo.isEmpty()
                ? Optional.empty()
                : Optional.of(decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
        Optional<String> uriPassword =
                colon < 0 ? Optional.empty() : Optional.of(decode(userInfo.substring(colon + 1)));
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() != -1) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        return new PostgresConfig(
                jdbc.toString(), user.or(() -> uriUser), password.or(() -> uriPassword), poolSize, Optional.empty());
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        // The URL may carry a password too: show only what identifies the database.
        int query = jdbcUrl.indexOf('?');
        return "PostgresConfig[" + (query < 0 ? jdbcUrl : jdbcUrl.substring(0, query)) + ", user=" + user.orElse("-")
                + ", poolSize=" + poolSize + ", schema=" + schema.orElse("-") + "]";
    }
}
