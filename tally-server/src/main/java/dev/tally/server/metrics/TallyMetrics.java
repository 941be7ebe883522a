package dev.tally.server.metrics;

import static java.util.Objects.requireNonNull;

import dev.tally.server.http.RequestMetrics;
import dev.tally.server.webhook.WebhookDispatcher;
import dev.tally.service.EventService;
import dev.tally.storage.StoreOperations;
import dev.tally.storage.TallyStore;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every metric Tally exposes, in a registry of its own (not the client's global one, so two servers in
 * one JVM, as in tests, do not share counts). Requests are measured on the request path with meters
 * resolved in advance; everything else is read when Prometheus scrapes, from counters the services
 * keep anyway, or told by the store's group committer.
 */
public final class TallyMetrics implements RequestMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(TallyMetrics.class);
    private static final double NANOS_PER_SECOND = 1_000_000_000.0;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Histogram requests;
    private final AtomicBoolean jvmRegistered = new AtomicBoolean();
    private final StoreStatistics storeStatistics;

    /** Whatever is counted elsewhere and read at scrape time. */
    public record Sources(
            TallyStore store,
            EventService events,
            LongSupplier rateLimitRefusals,
            Supplier<WebhookDispatcher.Stats> webhooks) {
        public Sources {
            requireNonNull(store, "store is null");
            requireNonNull(events, "events is null");
            requireNonNull(rateLimitRefusals, "rateLimitRefusals is null");
            requireNonNull(webhooks, "webhooks is null");
        }
    }

    public TallyMetrics(Sources sources) {
        requireNonNull(sources, "sources is null");
        requests = Histogram.builder()
                .name("tally_http_request_duration_seconds")
                .help("HTTP requests by route template and status, and how long Tally took to answer them")
                .labelNames("method", "route", "status")
                .classicOnly()
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .withoutExemplars()
                .register(registry);

        CounterWithCallback.builder()
                .name("tally_events_total")
                .help("Events taken in: accepted (stored), duplicate (accepted, not stored again),"
                        + " rejected (valid but refused, e.g. an unknown contact)")
                .labelNames("outcome")
                .callback(callback -> {
                    EventService.Counts counts = sources.events().counts();
                    callback.call(counts.stored(), "accepted");
                    callback.call(counts.duplicates(), "duplicate");
                    callback.call(counts.rejected(), "rejected");
                })
                .register(registry);

        CounterWithCallback.builder()
                .name("tally_rate_limit_refusals_total")
                .help("Calls refused with 429 because their workspace spent its share of the window")
                .callback(callback -> callback.call(sources.rateLimitRefusals().getAsLong()))
                .register(registry);

        GaugeWithCallback.builder()
                .name("tally_store_up")
                .help("1 while the store answers its health check, 0 while it does not (/health answers 503)")
                .callback(callback -> callback.call(healthy(sources.store()) ? 1 : 0))
                .register(registry);

        registerWebhooks(new Fresh<>(sources.webhooks()));

        Histogram commitWrites = Histogram.builder()
                .name("tally_group_commit_writes")
                .help("Writes (events, contacts, ...) carried by each group commit of the store")
                .classicOnly()
                .classicExponentialUpperBounds(1, 2, 12)
                .withoutExemplars()
                .register(registry);
        Histogram commitSeconds = Histogram.builder()
                .name("tally_group_commit_duration_seconds")
                .help("How long each group commit took, its synced write included")
                .classicOnly()
                .classicUpperBounds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1)
                .withoutExemplars()
                .register(registry);
        StoreOperations operations = sources.store().operations();
        operations.onGroupCommit((writes, nanos) -> {
            commitWrites.observe(writes);
            commitSeconds.observe(nanos / NANOS_PER_SECOND);
        });
        this.storeStatistics = new StoreStatistics(operations);
        for (String name : storeStatistics.names()) {
            GaugeWithCallback.builder()
                    .name("tally_store_" + name)
                    .help("The storage engine's own figure " + name + " (RocksDB property or connection pool)")
                    .callback(callback -> callback.call(storeStatistics.get(name)))
                    .register(registry);
        }
    }

    /** The webhook queue and the outcomes of its deliveries, read once per scrape (counting pending is a query). */
    private void registerWebhooks(Fresh<WebhookDispatcher.Stats> stats) {
        GaugeWithCallback.builder()
                .name("tally_webhook_pending")
                .help("Webhook notifications waiting to be delivered (the queue's depth)")
                .callback(callback -> callback.call(stats.get().pending()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tally_webhook_in_flight")
                .help("Webhook deliveries being attempted now")
                .callback(callback -> callback.call(stats.get().inFlight()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tally_webhook_yielding")
                .help("1 while webhook deliveries yield to ingest (CPU saturated and events queueing for their commit):"
                        + " claims limited to TALLY_WEBHOOK_SATURATED_RATE a second")
                .callback(callback -> callback.call(stats.get().yielding() ? 1 : 0))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tally_webhook_active_subscriptions")
                .help("Active webhook subscriptions")
                .callback(callback -> callback.call(stats.get().activeSubscriptions()))
                .register(registry);
        CounterWithCallback.builder()
                .name("tally_webhook_attempts_total")
                .help("Webhook delivery attempts by outcome: delivered (a 2xx), failed (to be retried),"
                        + " given_up (after the last retry)")
                .labelNames("outcome")
                .callback(callback -> {
                    WebhookDispatcher.Stats now = stats.get();
                    callback.call(now.delivered(), "delivered");
                    callback.call(now.failedAttempts(), "failed");
                    callback.call(now.givenUp(), "given_up");
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("tally_webhook_skipped_total")
                .help("Webhook notifications not sent because the event's contact was not in the"
                        + " subscription's segment when they were due")
                .callback(callback -> callback.call(stats.get().skipped()))
                .register(registry);
        CounterWithCallback.builder()
                .name("tally_webhook_subscriptions_deactivated_total")
                .help("Subscriptions deactivated because their endpoint kept failing")
                .callback(callback -> callback.call(stats.get().deactivated()))
                .register(registry);
    }

    /**
     * A value read at most once per scrape: every gauge of one scrape sees the same reading. Fresh
     * for 20 ms counted from the end of the read: counted from its start, a read slower than that
     * (the pending count scans the outbox's due index, 0.1 s or more with hundreds of thousands
     * waiting) was made again by each of the scrape's six webhook gauges.
     */
    static final class Fresh<T> {
        private static final long FRESH_NANOS = 20_000_000L;
        private final Supplier<T> source;
        private final LongSupplier nanoClock;
        private @Nullable T last;
        private long readAt;

        Fresh(Supplier<T> source) {
            this(source, System::nanoTime);
        }

        Fresh(Supplier<T> source, LongSupplier nanoClock) {
            this.source = source;
            this.nanoClock = nanoClock;
        }

        synchronized T get() {
            T reading = last;
            if (reading == null || nanoClock.getAsLong() - readAt > FRESH_NANOS) {
                reading = source.get();
                last = reading;
                readAt = nanoClock.getAsLong();
            }
            return reading;
        }
    }

    private static boolean healthy(TallyStore store) {
        try {
            store.checkHealth();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public RouteMeter meter(String method, String template) {
        return new StatusMeters(requests, method, template);
    }

    /** The text exposition of every metric, and its content type. */
    public record Exposition(String contentType, byte[] body) {}

    public Exposition scrape() {
        // The JVM's metrics are registered at the first scrape, not at start: they bring up the
        // platform MBean server (JMX, diagnostic commands, some 300 classes), which cost the server
        // about a tenth of its time to the first 202.
        if (jvmRegistered.compareAndSet(false, true)) {
            JvmMetrics.builder().register(registry);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Exposition(writer.getContentType(), out.toByteArray());
    }

    /** One route's data points, one per status code seen, made at the first request of each status. */
    private static final class StatusMeters implements RouteMeter {
        private final Histogram histogram;
        private final String method;
        private final String template;
        private final AtomicReferenceArray<DistributionDataPoint> byStatus = new AtomicReferenceArray<>(600);

        StatusMeters(Histogram histogram, String method, String template) {
            this.histogram = histogram;
            this.method = method;
            this.template = template;
        }

        @Override
        public void record(int status, long nanos) {
            int index = status >= 100 && status < 600 ? status : 599;
            DistributionDataPoint point = byStatus.get(index);
            if (point == null) {
                point = histogram.labelValues(method, template, Integer.toString(index));
                byStatus.set(index, point);
            }
            point.observe(nanos / NANOS_PER_SECOND);
        }
    }

    /** The store's figures, read once per scrape however many gauges ask (each scrape reads them all). */
    private static final class StoreStatistics {
        /** Long enough for one scrape to read every gauge from one reading, short enough for no other. */
        private static final long FRESH_NANOS = 20_000_000L;

        private final StoreOperations operations;
        private Map<String, Double> last = Map.of();
        private long readAt = Long.MIN_VALUE;

        StoreStatistics(StoreOperations operations) {
            this.operations = operations;
            this.last = read(); // for the names; the first scrape reads again
        }

        java.util.Set<String> names() {
            return last.keySet();
        }

        synchronized double get(String name) {
            long now = System.nanoTime();
            if (readAt == Long.MIN_VALUE || now - readAt > FRESH_NANOS) {
                last = read();
                readAt = now;
            }
            return last.getOrDefault(name, Double.NaN);
        }

        private Map<String, Double> read() {
            try {
                return operations.statistics();
            } catch (RuntimeException e) {
                LOG.debug("store statistics unavailable: {}", e.getMessage());
                return Map.of();
            }
        }
    }
}
