package dev.tally.server;

import static java.util.Objects.requireNonNull;

import dev.tally.auth.IssuedToken;
import dev.tally.server.config.ServerConfig;
import dev.tally.server.http.ErrorPages;
import dev.tally.server.http.HeaderDeadlineConnectionFactory;
import dev.tally.server.metrics.MetricsPortHandler;
import dev.tally.service.WorkspaceService;
import dev.tally.storage.TallyStore;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Tally: Jetty on virtual threads in front of one store. {@link #close()} stops
 * accepting, lets in-flight requests and their commits finish, then closes the store.
 */
public final class TallyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TallyServer.class);

    private final Server jetty;
    private final ServerConnector connector;
    private final TallyStore store;
    private final Wiring wiring;
    private boolean closed;

    private TallyServer(Server jetty, ServerConnector connector, TallyStore store, Wiring wiring) {
        this.jetty = jetty;
        this.connector = connector;
        this.store = store;
        this.wiring = wiring;
    }

    /** Opens the configured store and starts serving. */
    public static TallyServer start(ServerConfig config) {
        return start(config, Stores.open(config), Clock.systemUTC(), token -> printGeneratedToken(token));
    }

    /** Starts on a store the caller opened (tests pass a fault-injecting one); the server closes it. */
    public static TallyServer start(
            ServerConfig config, TallyStore store, Clock clock, Consumer<IssuedToken> onGeneratedToken) {
        requireNonNull(config, "config is null");
        Wiring wiring = null;
        try {
            wiring = new Wiring(config, store, clock);
            WorkspaceService.Bootstrap bootstrap = wiring.workspaces.bootstrap(config.bootstrapToken());
            bootstrap
                    .created()
                    .ifPresent(w -> LOG.info("created workspace {} ({}) on an empty store", w.name(), w.id()));
            bootstrap.generatedToken().ifPresent(onGeneratedToken);

            VirtualThreadPool threads = new VirtualThreadPool();
            threads.setName("tally");
            Server jetty = new Server(threads);
            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            http.setRequestHeaderSize(16 * 1024);
            // No per-connection header field cache: Jetty builds one (a trie of about 100 KB) on
            // each connection after its first request and keeps it while the connection lives, so
            // 2,000 keep-alive clients filled the default 192 MiB heap (docs/performance.md).
            http.setHeaderCacheSize(0);
            http.setUriCompliance(UriCompliance.DEFAULT.with(
                    "tally",
                    UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                    UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT));
            ServerConnector connector = new ServerConnector(
                    jetty,
                    new HeaderDeadlineConnectionFactory(
                            http, config.clientTimeouts().header()));
            connector.setHost(config.host());
            connector.setPort(config.port());
            connector.setIdleTimeout(config.idleTimeout().toMillis());
            jetty.addConnector(connector);
            jetty.addBean(new NetworkConnectionLimit(config.maxConnections(), connector));
            // The dashboard takes /app and declines every other path, which goes to the API.
            Handler api = new Handler.Sequence(wiring.dashboard, wiring.handler);
            if (config.metrics().port().isPresent()) {
                // Its own connector, plain HTTP/1.1 with the same header deadline; no token asked.
                ServerConnector metricsConnector = new ServerConnector(
                        jetty,
                        new HeaderDeadlineConnectionFactory(
                                http, config.clientTimeouts().header()));
                metricsConnector.setHost(config.host());
                metricsConnector.setPort(config.metrics().port().getAsInt());
                metricsConnector.setIdleTimeout(config.idleTimeout().toMillis());
                jetty.addConnector(metricsConnector);
                api = new MetricsPortHandler(api, metricsConnector, wiring.metrics);
            }
            jetty.setHandler(new GracefulHandler(api));
            jetty.setErrorHandler(new ErrorPages());
            jetty.setStopTimeout(config.shutdownGrace().toMillis());
            jetty.start();
            wiring.webhooks.start();
            LOG.info(
                    "Tally listening on port {} with {} storage",
                    connector.getLocalPort(),
                    config.storage().name().toLowerCase(java.util.Locale.ROOT));
            return new TallyServer(jetty, connector, store, wiring);
        } catch (Exception e) {
            if (wiring != null) {
                wiring.webhooks.close();
            }
            store.close();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("Tally could not start: " + e.getMessage(), e);
        }
    }

    private static void printGeneratedToken(IssuedToken token) {
        System.out.println();
        System.out.println("Tally created workspace 'default' with a read+write access token.");
        System.out.println("It is shown only this once; keep it:");
        System.out.println();
        System.out.println("    " + token.secret());
        System.out.println();
        System.out.flush();
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The port /metrics is served on without a token, if one was configured. */
    public java.util.OptionalInt metricsPort() {
        return jetty.getConnectors().length > 1
                ? java.util.OptionalInt.of(((ServerConnector) jetty.getConnectors()[1]).getLocalPort())
                : java.util.OptionalInt.empty();
    }

    public Optional<String> url() {
        return Optional.of("http://127.0.0.1:" + port());
    }

    TallyStore store() {
        return store;
    }

    Wiring wiring() {
        return wiring;
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("stopping: no new connections, finishing in-flight requests");
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("Jetty did not stop cleanly", e);
        }
        wiring.webhooks.close();
        store.close();
        LOG.info("stopped; store closed");
    }
}
