package dev.tally.server.cli;

import ch.qos.logback.classic.LoggerContext;
import dev.tally.metadata.MetadataLimits;
import dev.tally.server.TallyServer;
import dev.tally.server.config.ApiLimits;
import dev.tally.server.config.BrowserConfig;
import dev.tally.server.config.ClientTimeouts;
import dev.tally.server.config.DatabaseConfig;
import dev.tally.server.config.MetricsConfig;
import dev.tally.server.config.RateLimitConfig;
import dev.tally.server.config.ServerConfig;
import dev.tally.server.config.StorageType;
import dev.tally.server.config.WebhookConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tally serve}: every option also reads a {@code TALLY_*} variable named after it
 * ({@code --max-body-bytes}: {@code TALLY_MAX_BODY_BYTES}); the flag wins, then the variable, then the
 * default. Secrets (tokens, the database password) come only from the environment.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Start the Tally server.",
        defaultValueProvider = EnvironmentDefaults.class)
final class ServeCommand implements Callable<Integer> {
    /** The settings read only from the environment, never from a flag, so that they do not show in {@code ps}. */
    static final List<String> SECRET_VARIABLES =
            List.of("TALLY_BOOTSTRAP_TOKEN", "TALLY_ADMIN_TOKEN", "TALLY_DATABASE_PASSWORD");

    @Spec
    CommandSpec spec;

    @Option(
            names = "--host",
            defaultValue = "0.0.0.0",
            description = "Address to bind (TALLY_HOST, default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port (TALLY_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--data-dir",
            defaultValue = "./data",
            description = "Data directory (TALLY_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = "--public-url",
            description = "Public base URL for pages.next (TALLY_PUBLIC_URL; default from the request).")
    Optional<String> publicUrl;

    @Option(
            names = "--storage",
            defaultValue = "rocksdb",
            description = "rocksdb or postgres (TALLY_STORAGE, default ${DEFAULT-VALUE}).")
    String storage;

    @Option(names = "--database-url", description = "PostgreSQL JDBC URL (TALLY_DATABASE_URL).")
    Optional<String> databaseUrl;

    @Option(names = "--database-user", description = "PostgreSQL user (TALLY_DATABASE_USER), if not in the URL.")
    Optional<String> databaseUser;

    @Option(
            names = "--database-schema",
            description = "PostgreSQL schema for Tally's tables (TALLY_DATABASE_SCHEMA; default the connection's).")
    Optional<String> databaseSchema;

    @Option(
            names = "--database-pool-size",
            defaultValue = "16",
            description = "PostgreSQL connections (TALLY_DATABASE_POOL_SIZE, default ${DEFAULT-VALUE}).")
    int databasePoolSize;

    @Option(
            names = "--max-body-bytes",
            defaultValue = "1048576",
            description = "Largest request body (TALLY_MAX_BODY_BYTES, default ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(
            names = "--max-batch-body-bytes",
            defaultValue = "16777216",
            description = "Largest batch body (TALLY_MAX_BATCH_BODY_BYTES, default ${DEFAULT-VALUE}).")
    long maxBatchBodyBytes;

    @Option(
            names = "--max-per-page",
            defaultValue = "150",
            description = "Largest per_page (TALLY_MAX_PER_PAGE, default ${DEFAULT-VALUE}).")
    int maxPerPage;

    @Option(
            names = "--max-string-length",
            defaultValue = "255",
            description = "Longest metadata string (TALLY_MAX_STRING_LENGTH, default ${DEFAULT-VALUE}).")
    int maxStringLength;

    @Option(
            names = "--rate-limit",
            defaultValue = "10000",
            description = "Calls per minute per workspace, or 'off' (TALLY_RATE_LIMIT, default ${DEFAULT-VALUE}).")
    String rateLimit;

    @Option(
            names = "--idle-timeout-seconds",
            defaultValue = "30",
            description =
                    "Close connections idle or stalled this long (TALLY_IDLE_TIMEOUT_SECONDS, default ${DEFAULT-VALUE}).")
    long idleTimeoutSeconds;

    @Option(
            names = "--max-connections",
            defaultValue = "10000",
            description = "Open connections at most (TALLY_MAX_CONNECTIONS, default ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(
            names = "--header-timeout-seconds",
            defaultValue = "20",
            description =
                    "Close a connection whose request headers take longer (TALLY_HEADER_TIMEOUT_SECONDS, default ${DEFAULT-VALUE}).")
    long headerTimeoutSeconds;

    @Option(
            names = "--body-timeout-seconds",
            defaultValue = "20",
            description =
                    "Time a body may take before the minimum rate applies (TALLY_BODY_TIMEOUT_SECONDS, default ${DEFAULT-VALUE}).")
    long bodyTimeoutSeconds;

    @Option(
            names = "--min-body-rate",
            defaultValue = "500",
            description =
                    "Bytes per second a body must average after that, 0 for no minimum (TALLY_MIN_BODY_RATE, default ${DEFAULT-VALUE}).")
    long minBodyRate;

    @Option(
            names = "--metrics-port",
            defaultValue = "off",
            description =
                    "Also serve /metrics without a token on this port (TALLY_METRICS_PORT, default ${DEFAULT-VALUE}).")
    String metricsPort;

    @Option(
            names = "--webhook-retry-schedule",
            defaultValue = "5s,5m,30m,2h,5h,10h,10h",
            description = "Delays between webhook attempts, comma-separated, or 'none'"
                    + " (TALLY_WEBHOOK_RETRY_SCHEDULE, default ${DEFAULT-VALUE}).")
    String webhookRetrySchedule;

    @Option(
            names = "--webhook-timeout",
            defaultValue = "15s",
            description = "A webhook attempt succeeds with a 2xx within this (TALLY_WEBHOOK_TIMEOUT,"
                    + " default ${DEFAULT-VALUE}).")
    String webhookTimeout;

    @Option(
            names = "--webhooks-allow-private",
            defaultValue = "false",
            arity = "0..1",
            description = "Allow webhooks to plain http and to loopback, private and link-local addresses"
                    + " (TALLY_WEBHOOKS_ALLOW_PRIVATE, default ${DEFAULT-VALUE}).")
    boolean webhooksAllowPrivate;

    @Option(
            names = "--webhook-disable-after",
            defaultValue = "5d",
            description = "Deactivate a subscription whose endpoint has failed this long"
                    + " (TALLY_WEBHOOK_DISABLE_AFTER, default ${DEFAULT-VALUE}).")
    String webhookDisableAfter;

    @Option(
            names = "--webhook-concurrency",
            defaultValue = "16",
            description = "Attempts in flight per endpoint at most (TALLY_WEBHOOK_CONCURRENCY,"
                    + " default ${DEFAULT-VALUE}).")
    int webhookConcurrency;

    @Option(
            names = "--webhook-saturated-rate",
            defaultValue = "100",
            description = "Notifications a second sent while deliveries yield to ingest, that is while the"
                    + " CPU is saturated and events queue for their commit (TALLY_WEBHOOK_SATURATED_RATE, default"
                    + " ${DEFAULT-VALUE}; 0: never yield).")
    int webhookSaturatedRate;

    @Option(
            names = "--webhook-retention",
            defaultValue = "7d",
            description = "Keep delivered and failed notifications this long (TALLY_WEBHOOK_RETENTION,"
                    + " default ${DEFAULT-VALUE}).")
    String webhookRetention;

    @Option(
            names = "--browser-rate-limit",
            defaultValue = "60000",
            description = "Browser endpoint calls per minute per app id, or 'off' (TALLY_BROWSER_RATE_LIMIT,"
                    + " default ${DEFAULT-VALUE}).")
    String browserRateLimit;

    @Option(
            names = "--browser-rate-limit-per-address",
            defaultValue = "600",
            description = "Browser endpoint calls per minute per client address, or 'off'"
                    + " (TALLY_BROWSER_RATE_LIMIT_PER_ADDRESS, default ${DEFAULT-VALUE}).")
    String browserRateLimitPerAddress;

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            System.err.println("tally: " + e.getMessage());
            return 2;
        }
        TallyServer server = TallyServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopLogging();
                            stopped.countDown();
                        },
                        "tally-shutdown"));
        server.join();
        stopped.await();
        return 0;
    }

    /** Stops logback's appenders, so the access log's last queued lines are written before exit. */
    private static void stopLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }

    ServerConfig config() {
        // Read by logback.xml before this runs; checked here so a typo is an error, not a silent log.
        String logFormat = environment().getOrDefault("TALLY_LOG_FORMAT", "text");
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            throw new IllegalArgumentException("TALLY_LOG_FORMAT must be text or json, got " + logFormat);
        }
        StorageType storageType = StorageType.parse(storage);
        Optional<DatabaseConfig> database = databaseUrl
                .filter(url -> !url.isBlank())
                .map(url -> new DatabaseConfig(
                        url,
                        databaseUser.filter(u -> !u.isBlank()),
                        secret("TALLY_DATABASE_PASSWORD"),
                        databasePoolSize,
                        databaseSchema.filter(name -> !name.isBlank())));
        ApiLimits limits = new ApiLimits(
                maxBodyBytes,
                Math.max(maxBodyBytes, maxBatchBodyBytes),
                Math.min(ApiLimits.DEFAULT_PER_PAGE, maxPerPage),
                maxPerPage,
                new MetadataLimits(
                        MetadataLimits.INTERCOM.maxKeysPerEvent(),
                        maxStringLength,
                        MetadataLimits.INTERCOM.maxKeyLength()));
        return new ServerConfig(
                host,
                port,
                dataDir,
                publicUrl.filter(url -> !url.isBlank()),
                storageType,
                database,
                secret("TALLY_BOOTSTRAP_TOKEN"),
                secret("TALLY_ADMIN_TOKEN"),
                limits,
                RateLimitConfig.parse(rateLimit),
                Duration.ofSeconds(idleTimeoutSeconds),
                maxConnections,
                Duration.ofSeconds(20),
                new ClientTimeouts(
                        Duration.ofSeconds(headerTimeoutSeconds), Duration.ofSeconds(bodyTimeoutSeconds), minBodyRate),
                MetricsConfig.parse(metricsPort),
                new BrowserConfig(
                        BrowserConfig.parseLimit("TALLY_BROWSER_RATE_LIMIT", browserRateLimit),
                        BrowserConfig.parseLimit("TALLY_BROWSER_RATE_LIMIT_PER_ADDRESS", browserRateLimitPerAddress)),
                webhookConfig());
    }

    private WebhookConfig webhookConfig() {
        return new WebhookConfig(
                WebhookConfig.parseSchedule(webhookRetrySchedule),
                WebhookConfig.parseDuration("TALLY_WEBHOOK_TIMEOUT", webhookTimeout),
                webhooksAllowPrivate,
                WebhookConfig.parseDuration("TALLY_WEBHOOK_DISABLE_AFTER", webhookDisableAfter),
                webhookConcurrency,
                WebhookConfig.parseDuration("TALLY_WEBHOOK_RETENTION", webhookRetention),
                webhookSaturatedRate);
    }

    /** A secret from the environment the options were read from. */
    private Optional<String> secret(String name) {
        return Optional.ofNullable(environment().get(name)).filter(value -> !value.isBlank());
    }

    /** The environment the options were read from. */
    private Map<String, String> environment() {
        return spec.defaultValueProvider() instanceof EnvironmentDefaults defaults
                ? defaults.environment()
                : System.getenv();
    }
}
