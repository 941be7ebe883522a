package dev.tally.server.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the server needs to start, validated before anything opens. Built from flags and
 * {@code TALLY_*} variables by the {@code serve} command, or directly by tests.
 */
public record ServerConfig(
        String host,
        int port,
        Path dataDir,
        Optional<String> publicUrl,
        StorageType storage,
        Optional<DatabaseConfig> database,
        Optional<String> bootstrapToken,
        Optional<String> adminToken,
        ApiLimits limits,
        RateLimitConfig rateLimit,
        Duration idleTimeout,
        int maxConnections,
        Duration shutdownGrace,
        ClientTimeouts clientTimeouts,
        MetricsConfig metrics,
        BrowserConfig browser,
        WebhookConfig webhooks) {
    public ServerConfig {
        requireNonNull(host, "host is null");
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(publicUrl, "publicUrl is null");
        requireNonNull(storage, "storage is null");
        requireNonNull(database, "database is null");
        requireNonNull(bootstrapToken, "bootstrapToken is null");
        requireNonNull(adminToken, "adminToken is null");
        requireNonNull(limits, "limits is null");
        requireNonNull(rateLimit, "rateLimit is null");
        requireNonNull(idleTimeout, "idleTimeout is null");
        requireNonNull(shutdownGrace, "shutdownGrace is null");
        requireNonNull(clientTimeouts, "clientTimeouts is null");
        requireNonNull(metrics, "metrics is null");
        requireNonNull(webhooks, "webhooks is null");
        requireNonNull(browser, "browser is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        if (storage == StorageType.POSTGRES && database.isEmpty()) {
            throw new IllegalArgumentException("TALLY_STORAGE=postgres needs TALLY_DATABASE_URL");
        }
        publicUrl.ifPresent(ServerConfig::checkPublicUrl);
        bootstrapToken.ifPresent(token -> checkSecret("TALLY_BOOTSTRAP_TOKEN", token));
        adminToken.ifPresent(token -> checkSecret("TALLY_ADMIN_TOKEN", token));
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max connections must be >= 1");
        }
    }

    /** Tokens shown as {@code ***}, the database through its own redacting {@code toString}. */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host
                + ", port=" + port
                + ", dataDir=" + dataDir
                + ", publicUrl=" + publicUrl
                + ", storage=" + storage
                + ", database=" + database
                + ", bootstrapToken=" + Secrets.redact(bootstrapToken)
                + ", adminToken=" + Secrets.redact(adminToken)
                + ", limits=" + limits
                + ", rateLimit=" + rateLimit
                + ", idleTimeout=" + idleTimeout
                + ", maxConnections=" + maxConnections
                + ", shutdownGrace=" + shutdownGrace
                + ", clientTimeouts=" + clientTimeouts
                + ", metrics=" + metrics
                + ", browser=" + browser + "]";
    }

    /** Defaults for an embedded server: the documented values, on the given port and directory. */
    public static ServerConfig embedded(int port, Path dataDir) {
        return new ServerConfig(
                "0.0.0.0",
                port,
                dataDir,
                Optional.empty(),
                StorageType.ROCKSDB,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                ApiLimits.DEFAULTS,
                RateLimitConfig.DEFAULT,
                Duration.ofSeconds(30),
                10_000,
                Duration.ofSeconds(20),
                ClientTimeouts.DEFAULT,
                MetricsConfig.DEFAULT,
                BrowserConfig.DEFAULTS,
                WebhookConfig.DEFAULT);
    }

    public ServerConfig withBootstrapToken(String token) {
        return toBuilder().bootstrapToken(token).build();
    }

    public ServerConfig withAdminToken(String token) {
        return toBuilder().adminToken(token).build();
    }

    public ServerConfig withPublicUrl(String url) {
        return toBuilder().publicUrl(url).build();
    }

    public ServerConfig withLimits(ApiLimits newLimits) {
        return toBuilder().limits(newLimits).build();
    }

    public ServerConfig withRateLimit(RateLimitConfig newRateLimit) {
        return toBuilder().rateLimit(newRateLimit).build();
    }

    public ServerConfig withIdleTimeout(Duration timeout) {
        return toBuilder().idleTimeout(timeout).build();
    }

    public ServerConfig withClientTimeouts(ClientTimeouts timeouts) {
        return toBuilder().clientTimeouts(timeouts).build();
    }

    public ServerConfig withMetrics(MetricsConfig newMetrics) {
        return toBuilder().metrics(newMetrics).build();
    }

    public ServerConfig withBrowser(BrowserConfig newBrowser) {
        return toBuilder().browser(newBrowser).build();
    }

    public ServerConfig withPostgres(DatabaseConfig newDatabase) {
        return toBuilder().postgres(newDatabase).build();
    }

    public ServerConfig withWebhooks(WebhookConfig newWebhooks) {
        return toBuilder().webhooks(newWebhooks).build();
    }

    private Builder toBuilder() {
        return new Builder(this);
    }

    /** A copy being changed; the record's constructor validates the result. */
    private static final class Builder {
        private String host;
        private int port;
        private Path dataDir;
        private Optional<String> publicUrl;
        private StorageType storage;
        private Optional<DatabaseConfig> database;
        private Optional<String> bootstrapToken;
        private Optional<String> adminToken;
        private ApiLimits limits;
        private RateLimitConfig rateLimit;
        private Duration idleTimeout;
        private int maxConnections;
        private Duration shutdownGrace;
        private ClientTimeouts clientTimeouts;
        private MetricsConfig metrics;
        private WebhookConfig webhooks;
        private BrowserConfig browser;

        Builder(ServerConfig config) {
            host = config.host;
            port = config.port;
            dataDir = config.dataDir;
            publicUrl = config.publicUrl;
            storage = config.storage;
            database = config.database;
            bootstrapToken = config.bootstrapToken;
            adminToken = config.adminToken;
            limits = config.limits;
            rateLimit = config.rateLimit;
            idleTimeout = config.idleTimeout;
            maxConnections = config.maxConnections;
            shutdownGrace = config.shutdownGrace;
            clientTimeouts = config.clientTimeouts;
            metrics = config.metrics;
            webhooks = config.webhooks;
            browser = config.browser;
        }

        Builder webhooks(WebhookConfig newWebhooks) {
            webhooks = newWebhooks;
            return this;
        }

        Builder browser(BrowserConfig newBrowser) {
            browser = newBrowser;
            return this;
        }

        Builder bootstrapToken(String token) {
            bootstrapToken = Optional.of(token);
            return this;
        }

        Builder adminToken(String token) {
            adminToken = Optional.of(token);
            return this;
        }

        Builder publicUrl(String url) {
            publicUrl = Optional.of(url);
            return this;
        }

        Builder limits(ApiLimits newLimits) {
            limits = newLimits;
            return this;
        }

        Builder rateLimit(RateLimitConfig newRateLimit) {
            rateLimit = newRateLimit;
            return this;
        }

        Builder idleTimeout(Duration timeout) {
            idleTimeout = timeout;
            return this;
        }

        Builder clientTimeouts(ClientTimeouts timeouts) {
            clientTimeouts = timeouts;
            return this;
        }

        Builder metrics(MetricsConfig newMetrics) {
            metrics = newMetrics;
            return this;
        }

        Builder postgres(DatabaseConfig newDatabase) {
            storage = StorageType.POSTGRES;
            database = Optional.of(newDatabase);
            return this;
        }

        ServerConfig build() {
            return new ServerConfig(
                    host,
                    port,
                    dataDir,
                    publicUrl,
                    storage,
                    database,
                    bootstrapToken,
                    adminToken,
                    limits,
                    rateLimit,
                    idleTimeout,
                    maxConnections,
                    shutdownGrace,
                    clientTimeouts,
                    metrics,
                    browser,
                    webhooks);
        }
    }

    private static void checkPublicUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TALLY_PUBLIC_URL is not a URL: " + url, e);
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("TALLY_PUBLIC_URL must be an absolute http(s) URL, got " + url);
        }
    }

    private static void checkSecret(String name, String token) {
        if (token.length() < 16 || token.length() > 512 || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException(name + " must be 16-512 printable ASCII characters without spaces");
        }
    }
}
