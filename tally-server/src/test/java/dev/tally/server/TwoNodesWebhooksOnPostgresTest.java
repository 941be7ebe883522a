package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.TestingReceiver.Answer;
import dev.tally.server.config.DatabaseConfig;
import dev.tally.server.config.RateLimitConfig;
import dev.tally.server.config.ServerConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one database share the outbox. Every distinct event is sent to both nodes at once;
 * the receiver fails the first attempt of every fifth notification, so retries happen on whichever
 * node claims them. Each event must be notified under exactly one notification id, every id must
 * arrive, and repeats (receipts beyond the attempts the receiver asked for) are measured: with
 * leases and {@code FOR UPDATE SKIP LOCKED} a healthy run has none.
 */
class TwoNodesWebhooksOnPostgresTest {
    private static final int EVENTS = 300;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void eachNotificationIsDeliveredByOneNodeAtATime() throws Exception {
        DatabaseConfig database = TestingPostgres.freshSchema();
        ServerConfig base = TestingServer.config(dir)
                .withRateLimit(RateLimitConfig.OFF)
                .withPostgres(database)
                .withWebhooks(WebhooksTest.FAST);
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        try (TestingReceiver receiver = TestingReceiver.start(number -> Answer.of(200));
                TestingServer first = TestingServer.start(base);
                TestingServer second = TestingServer.start(base)) {
            receiver.respondWith(number -> {
                String id = receiver.received().get(number - 1).notificationId();
                int receipts = seen.merge(id, 1, Integer::sum);
                if (receipts == 1 && Math.floorMod(id.hashCode(), 5) == 0) {
                    failedOnce.add(id);
                    return Answer.of(500);
                }
                return Answer.of(200);
            });
            HttpResponse<String> created =
                    first.post("/subscriptions", WebhooksTest.subscriptionBody(receiver.url(), "paid", "probe"));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            first.createUser("u1", "u1@example.com");
            // The other node learns of the subscription within a second: probe until it notifies.
            long probe = Instant.now().getEpochSecond() - 100_000;
            TestingReceiver.awaitCondition("the second node to know the subscription", WAIT, () -> {
                second.post(
                        "/events",
                        WebhooksTest.event("probe", probe + seen.size() + System.nanoTime() % 1000, "u1", ""));
                return receiver.received().stream().anyMatch(r -> r.json()
                        .get("data")
                        .get("item")
                        .get("event_name")
                        .asText()
                        .equals("probe"));
            });

            long start = Instant.now().getEpochSecond() - 3600;
            List<Future<?>> sends = new ArrayList<>();
            try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
                for (TestingServer node : List.of(first, second)) {
                    for (int sender = 0; sender < 4; sender++) {
                        int offset = sender;
                        sends.add(senders.submit(() -> {
                            for (int i = offset; i < EVENTS; i += 4) {
                                HttpResponse<String> response =
                                        node.post("/events", WebhooksTest.event("paid", start + i, "u1", ""));
                                assertThat(response.statusCode())
                                        .as(response.body())
                                        .isEqualTo(202);
                            }
                            return null;
                        }));
                    }
                }
                for (Future<?> send : sends) {
                    send.get();
                }
            }

            TestingReceiver.awaitCondition("every paid event delivered", WAIT, () -> {
                Set<Long> delivered = new HashSet<>();
                for (TestingReceiver.Received request : receiver.received()) {
                    if (!failedOnce.contains(request.notificationId()) || seen.get(request.notificationId()) > 1) {
                        delivered.add(request.json()
                                .get("data")
                                .get("item")
                                .get("created_at")
                                .asLong());
                    }
                }
                return delivered.stream().filter(t -> t >= start).count() == EVENTS;
            });

            Map<Long, Set<String>> idsPerEvent = new HashMap<>();
            for (TestingReceiver.Received request : receiver.received()) {
                if (request.json()
                        .get("data")
                        .get("item")
                        .get("event_name")
                        .asText()
                        .equals("paid")) {
                    idsPerEvent
                            .computeIfAbsent(
                                    request.json()
                                            .get("data")
                                            .get("item")
                                            .get("created_at")
                                            .asLong(),
                                    t -> new HashSet<>())
                            .add(request.notificationId());
                }
            }
            assertThat(idsPerEvent).hasSize(EVENTS);
            assertThat(idsPerEvent.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));

            int repeats = 0;
            for (Set<String> ids : idsPerEvent.values()) {
                String id = ids.iterator().next();
                int asked = failedOnce.contains(id) ? 2 : 1;
                repeats += seen.get(id) - asked;
            }
            System.out.printf(
                    "two nodes: %d notifications, %d failed once on purpose, %d repeats%n",
                    idsPerEvent.size(), failedOnce.size(), repeats);
            assertThat(failedOnce).isNotEmpty();
            assertThat(repeats)
                    .as("receipts beyond the attempts the receiver asked for")
                    .isZero();
        }
    }
}
