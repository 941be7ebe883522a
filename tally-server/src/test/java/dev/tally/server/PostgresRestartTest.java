package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.config.DatabaseConfig;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL restarted under load (a private throwaway cluster; the shared one is never touched): while
 * it is down every write is a 503, never a 500 nor a hang; once it is back Tally serves again without
 * being restarted; every event acknowledged is stored exactly once.
 */
class PostgresRestartTest {
    private static final int USERS = 4;

    @TempDir
    Path dataDir;

    record Acked(int user, long createdAt) {}

    @Test
    void writesAre503WhileDownAndRecoverWithoutRestartingTally() throws Exception {
        try (PrivatePostgres postgres = PrivatePostgres.start();
                TestingServer server = TestingServer.start(TestingServer.config(dataDir)
                        .withPostgres(new DatabaseConfig(
                                postgres.jdbcUrl(), Optional.empty(), Optional.empty(), 4, Optional.empty())))) {
            for (int user = 0; user < USERS; user++) {
                server.createUser("user-" + user, "user-" + user + "@example.com");
            }
            Set<Acked> acked;
            try (Load load = new Load(server)) {
                acked = load.acked;
                load.awaitAcks(200);

                postgres.stopImmediately();
                int acksAtStop = load.acked.size();
                load.await503s(20);
                assertThat(server.get("/health").statusCode()).isEqualTo(503);

                postgres.startServer();
                load.awaitAcks(acksAtStop + 200);
                assertThat(server.get("/health").statusCode()).isEqualTo(200);
                assertThat(load.unexpected).as("answers other than 202 and 503").isEmpty();
            }
            for (int user = 0; user < USERS; user++) {
                int u = user;
                Set<Acked> stored = new HashSet<>();
                int listed = 0;
                String next = "/events?type=user&user_id=user-" + user + "&per_page=150";
                while (next != null) {
                    JsonNode page = TestingServer.json(server.get(next));
                    for (JsonNode event : page.get("events")) {
                        stored.add(new Acked(u, event.get("created_at").asLong()));
                        listed++;
                    }
                    JsonNode nextUrl = page.get("pages").get("next");
                    next = nextUrl.isNull()
                            ? null
                            : nextUrl.asText().substring(nextUrl.asText().indexOf("/events"));
                }
                assertThat(listed).as("each event stored once").isEqualTo(stored.size());
                // Acknowledged events are all there; the ones that got a 503 may be there too (the commit
                // may have succeeded as the connection broke), but each at most once, as checked above.
                assertThat(stored)
                        .containsAll(acked.stream().filter(a -> a.user() == u).toList());
                int count = TestingServer.json(server.get("/events?type=user&user_id=user-" + user + "&summary=true"))
                        .get("events")
                        .get(0)
                        .get("count")
                        .asInt();
                assertThat(count)
                        .as("the summary counts each stored event once")
                        .isEqualTo(stored.size());
            }
        }
    }

    /** Senders posting distinct events until closed: 202s recorded, 503s counted, anything else kept. */
    private static final class Load implements AutoCloseable {
        final Set<Acked> acked = ConcurrentHashMap.newKeySet();
        final Map<Integer, String> unexpected = new ConcurrentHashMap<>();
        final AtomicInteger unavailable = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger sequence = new AtomicInteger();
        private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
        private final HttpClient client = HttpClient.newHttpClient();
        private final long base = Instant.now().getEpochSecond() - 3600;

        Load(TestingServer server) {
            for (int i = 0; i < 8; i++) {
                senders.submit(() -> send(server));
            }
        }

        private void send(TestingServer server) {
            while (running.get()) {
                int n = sequence.getAndIncrement();
                Acked event = new Acked(n % USERS, base + n);
                String body = "{\"event_name\":\"restart\",\"created_at\":" + event.createdAt() + ",\"user_id\":\"user-"
                        + event.user() + "\"}";
                try {
                    HttpResponse<String> response = client.send(
                            server.request("/events")
                                    .timeout(Duration.ofSeconds(30))
                                    .header("Authorization", "Bearer " + TestingServer.TOKEN)
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    switch (response.statusCode()) {
                        case 202 -> acked.add(event);
                        case 503 -> {
                            unavailable.incrementAndGet();
                            Thread.sleep(20); // a client backing off, as Retry-After asks
                        }
                        default -> unexpected.put(response.statusCode(), response.body());
                    }
                } catch (IOException e) {
                    unexpected.put(-1, e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        void awaitAcks(int count) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (acked.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(acked.size()).as("acknowledged events").isGreaterThanOrEqualTo(count);
        }

        void await503s(int count) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (unavailable.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(unavailable.get())
                    .as("503 answers while PostgreSQL is down")
                    .isGreaterThanOrEqualTo(count);
        }

        @Override
        public void close() {
            running.set(false);
            senders.shutdown();
            try {
                senders.awaitTermination(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            client.close();
        }
    }
}
