package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.config.DatabaseConfig;
import dev.tally.server.config.RateLimitConfig;
import dev.tally.server.config.ServerConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Tally servers on one database take events for the same contacts at once, with duplicates
 * between them. Afterwards nothing is lost, nothing is doubled, and every summary count equals
 * the distinct events stored.
 */
@ExtendWith(TestingPostgres.DropSchemas.class)
class TwoNodesOnPostgresTest {
    private static final int USERS = 10;
    private static final int DISTINCT_EVENTS = 600;
    private static final int SENDERS_PER_NODE = 8;

    @TempDir
    Path dir;

    @Test
    void concurrentIngestOnTwoNodesWithDuplicatesBetweenThemStaysExact() throws Exception {
        DatabaseConfig database = TestingPostgres.freshSchema();
        ServerConfig base =
                TestingServer.config(dir).withRateLimit(RateLimitConfig.OFF).withPostgres(database);
        try (TestingServer first = TestingServer.start(base);
                TestingServer second = TestingServer.start(base)) {
            for (int user = 0; user < USERS; user++) {
                first.createUser("user-" + user, "user" + user + "@example.com");
            }
            long start = Instant.now().getEpochSecond() - 3600;
            // Both nodes receive every event: each distinct event arrives twice, once per node, at once.
            List<Future<Integer>> results = new ArrayList<>();
            try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
                for (TestingServer node : List.of(first, second)) {
                    for (int sender = 0; sender < SENDERS_PER_NODE; sender++) {
                        int offset = sender;
                        results.add(senders.submit(() -> {
                            int accepted = 0;
                            for (int i = offset; i < DISTINCT_EVENTS; i += SENDERS_PER_NODE) {
                                String body = "{\"event_name\":\"race-" + (i % 4) + "\",\"created_at\":"
                                        + (start + i / USERS) + ",\"user_id\":\"user-" + (i % USERS)
                                        + "\",\"metadata\":{\"k" + (i % 13) + "\":" + i + "}}";
                                HttpResponse<String> response = node.post("/events", body);
                                assertThat(response.statusCode())
                                        .as(response.body())
                                        .isEqualTo(202);
                                accepted++;
                            }
                            return accepted;
                        }));
                    }
                }
                int total = 0;
                for (Future<Integer> result : results) {
                    total += result.get();
                }
                assertThat(total).isEqualTo(2 * DISTINCT_EVENTS);
            }

            int stored = 0;
            for (int user = 0; user < USERS; user++) {
                Set<String> distinct = new HashSet<>();
                Map<String, Integer> perName = new HashMap<>();
                String next = "/events?type=user&user_id=user-" + user + "&per_page=150";
                while (next != null) {
                    JsonNode page = TestingServer.json(second.get(next));
                    for (JsonNode event : page.get("events")) {
                        assertThat(distinct.add(event.get("event_name").asText() + "@"
                                        + event.get("created_at").asLong()))
                                .as("listed once")
                                .isTrue();
                        perName.merge(event.get("event_name").asText(), 1, Integer::sum);
                    }
                    JsonNode nextNode = page.get("pages").get("next");
                    next = nextNode.isNull()
                            ? null
                            : nextNode.asText().substring(nextNode.asText().indexOf("/events"));
                }
                stored += distinct.size();
                JsonNode summary =
                        TestingServer.json(first.get("/events?type=user&user_id=user-" + user + "&summary=true"));
                Map<String, Integer> counted = new HashMap<>();
                summary.get("events")
                        .forEach(s -> counted.put(
                                s.get("name").asText(), s.get("count").asInt()));
                assertThat(counted).as("summary counts of user-" + user).isEqualTo(perName);
            }
            assertThat(stored).as("every distinct event stored exactly once").isEqualTo(DISTINCT_EVENTS);

            // Each name tracks at most ten keys, even with both nodes racing for the last slots.
            Map<String, Set<String>> keysPerName = new HashMap<>();
            for (int user = 0; user < USERS; user++) {
                JsonNode events = TestingServer.json(
                                first.get("/events?type=user&user_id=user-" + user + "&per_page=150"))
                        .get("events");
                for (JsonNode event : events) {
                    Set<String> keys =
                            keysPerName.computeIfAbsent(event.get("event_name").asText(), name -> new HashSet<>());
                    event.get("metadata").fieldNames().forEachRemaining(keys::add);
                }
            }
            assertThat(keysPerName)
                    .isNotEmpty()
                    .allSatisfy((name, keys) -> assertThat(keys).as(name).hasSizeLessThanOrEqualTo(10));
        }
    }
}
