package dev.tally.server.metrics;

import static dev.tally.server.metrics.PrometheusTextParser.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.TestingServer;
import dev.tally.server.config.MetricsConfig;
import dev.tally.server.config.RateLimitConfig;
import dev.tally.server.metrics.PrometheusTextParser.Sample;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics}, read with Prometheus' own text parser, moves with real requests. */
class MetricsTest {
    @TempDir
    Path dataDir;

    @BeforeEach
    void parserInstalled() throws Exception {
        PrometheusTextParser.assumeInstalled();
    }

    @Test
    void requestsEventsStoreAndJvmAreCountedAfterRealRequests() throws Exception {
        try (TestingServer server = TestingServer.start(dataDir)) {
            List<Sample> before = scrape(server);
            server.createUser("314159", "frodo@example.com");
            String event = "{\"event_name\":\"placed-order\",\"created_at\":1700000000,\"user_id\":\"314159\"}";
            assertThat(server.post("/events", event).statusCode()).isEqualTo(202);
            assertThat(server.post("/events", event).statusCode()).isEqualTo(202); // a duplicate
            assertThat(server.post("/events", "{\"event_name\":\"x\",\"created_at\":1700000000,\"user_id\":\"nobody\"}")
                            .statusCode())
                    .isEqualTo(404);
            assertThat(server.get("/no-such-route").statusCode()).isEqualTo(404);

            List<Sample> after = scrape(server);
            Map<String, String> postEvents202 = Map.of("method", "POST", "route", "/events", "status", "202");
            assertThat(value(after, "tally_http_request_duration_seconds_count", postEvents202)
                            - value(before, "tally_http_request_duration_seconds_count", postEvents202))
                    .isEqualTo(2);
            assertThat(value(
                            after,
                            "tally_http_request_duration_seconds_bucket",
                            Map.of("method", "POST", "route", "/events", "status", "202", "le", "+Inf")))
                    .isEqualTo(2);
            assertThat(value(after, "tally_http_request_duration_seconds_count", Map.of("route", "unmatched")))
                    .isEqualTo(1);
            assertThat(value(after, "tally_events_total", Map.of("outcome", "accepted")))
                    .isEqualTo(1);
            assertThat(value(after, "tally_events_total", Map.of("outcome", "duplicate")))
                    .isEqualTo(1);
            assertThat(value(after, "tally_events_total", Map.of("outcome", "rejected")))
                    .isEqualTo(1);
            assertThat(value(after, "tally_store_up", Map.of())).isEqualTo(1);
            assertThat(value(after, "tally_group_commit_writes_count", Map.of()))
                    .as("the workspace, the contact and the events went through group commits")
                    .isGreaterThan(value(before, "tally_group_commit_writes_count", Map.of()));
            assertThat(value(after, "tally_group_commit_duration_seconds_sum", Map.of()))
                    .isPositive();
            assertThat(value(after, "tally_store_estimate_num_keys", Map.of()))
                    .as(after.stream()
                            .filter(x -> x.name().startsWith("tally_store"))
                            .toList()
                            .toString())
                    .isPositive();
            assertThat(after).anySatisfy(sample -> assertThat(sample.name()).isEqualTo("tally_webhook_pending"));
            assertThat(value(after, "tally_webhook_attempts_total", Map.of("outcome", "delivered")))
                    .isZero();
            assertThat(value(after, "jvm_memory_used_bytes", Map.of("area", "heap")))
                    .isPositive();
        }
    }

    @Test
    void rateLimitRefusalsAreCounted() throws Exception {
        // 6 calls a minute: one per 10-second window.
        try (TestingServer server =
                TestingServer.start(TestingServer.config(dataDir).withRateLimit(RateLimitConfig.parse("6")))) {
            int refused = 0;
            for (int i = 0; i < 3; i++) {
                if (server.get("/events?type=user&user_id=nobody").statusCode() == 429) {
                    refused++;
                }
            }
            assertThat(refused).isPositive();
            assertThat(value(scrape(server), "tally_rate_limit_refusals_total", Map.of()))
                    .isEqualTo(refused);
        }
    }

    @Test
    void metricsNeedTheAdminTokenOnTheApiPort() {
        try (TestingServer server = TestingServer.start(dataDir)) {
            TestingServer.assertError(server.get("/metrics", TestingServer.TOKEN), 401, "unauthorized");
            assertThat(server.send(server.request("/metrics").GET().build()).statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void aMetricsPortServesThemWithoutAToken() throws Exception {
        try (TestingServer server =
                TestingServer.start(TestingServer.config(dataDir).withMetrics(new MetricsConfig(OptionalInt.of(0))))) {
            int port = server.server().metricsPort().orElseThrow();
            assertThat(port).isNotEqualTo(server.port());
            HttpResponse<String> metrics =
                    server.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .build());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(value(PrometheusTextParser.parse(metrics.body()), "tally_store_up", Map.of()))
                    .isEqualTo(1);
            HttpResponse<String> other = server.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events?type=user&user_id=1"))
                            .build());
            assertThat(other.statusCode()).isEqualTo(404);
        }
    }

    private static List<Sample> scrape(TestingServer server) throws Exception {
        HttpResponse<String> response = server.get("/metrics", TestingServer.ADMIN_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        return PrometheusTextParser.parse(response.body());
    }
}
