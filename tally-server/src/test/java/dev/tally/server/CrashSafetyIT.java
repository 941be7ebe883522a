package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.json.TallyJson;
import dev.tally.testing.process.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A 202 means the event is safe: concurrent senders record every 202, the server is killed mid-load,
 * restarted on the same data, and every acknowledged event must be there exactly once, with every
 * summary count equal to its stored events.
 */
class CrashSafetyIT {
    private static final int USERS = 8;
    private static final int SENDERS = 16;

    @TempDir
    Path dataDir;

    /** An event the server acknowledged: which user, which name, which second. */
    record Acked(int user, String name, long createdAt) {}

    @ParameterizedTest(name = "killed with SIGKILL after {0} acknowledgements")
    @ValueSource(ints = {1, 300, 1500})
    void everyAcknowledgedEventSurvivesSigkill(int killAfter) throws Exception {
        Set<Acked> acked = ConcurrentHashMap.newKeySet();
        try (ServerProcess server = ServerProcess.start(dataDir, TestingServer.TOKEN, Map.of())) {
            createUsers(server.port());
            Load load = new Load(server.port(), acked);
            load.start();
            load.awaitAcks(killAfter);
            server.kill();
            load.stop();
        }
        verifyAfterRestart(acked);
    }

    @Test
    void sigtermFinishesInFlightRequestsAndLosesNothing() throws Exception {
        Set<Acked> acked = ConcurrentHashMap.newKeySet();
        Load load;
        try (ServerProcess server = ServerProcess.start(dataDir, TestingServer.TOKEN, Map.of())) {
            createUsers(server.port());
            load = new Load(server.port(), acked);
            load.start();
            load.awaitAcks(500);
            int exit = server.terminate();
            load.stop();
            assertThat(exit).as(String.join("\n", server.output())).isIn(0, 143);
            assertThat(server.output()).anyMatch(line -> line.contains("stopped; store closed"));
        }
        verifyAfterRestart(acked);
    }

    private void verifyAfterRestart(Set<Acked> acked) throws Exception {
        assertThat(acked).isNotEmpty();
        try (ServerProcess server = ServerProcess.start(dataDir, TestingServer.TOKEN, Map.of());
                HttpClient client = HttpClient.newHttpClient()) {
            for (int user = 0; user < USERS; user++) {
                Set<Acked> stored = new HashSet<>();
                int listed = 0;
                String next = "/events?type=user&user_id=user-" + user + "&per_page=150";
                while (next != null) {
                    JsonNode page = get(client, server.port(), next);
                    for (JsonNode event : page.get("events")) {
                        stored.add(new Acked(
                                user,
                                event.get("event_name").asText(),
                                event.get("created_at").asLong()));
                        listed++;
                    }
                    JsonNode nextNode = page.get("pages").get("next");
                    next = nextNode.isNull()
                            ? null
                            : nextNode.asText().substring(nextNode.asText().indexOf("/events"));
                }
                assertThat(listed).as("each stored event is listed once").isEqualTo(stored.size());
                int u = user;
                Set<Acked> mine = new HashSet<>();
                acked.stream().filter(a -> a.user() == u).forEach(mine::add);
                assertThat(stored)
                        .as("user-" + user + " lost acknowledged events")
                        .containsAll(mine);

                Map<String, Integer> storedPerName = new HashMap<>();
                stored.forEach(a -> storedPerName.merge(a.name(), 1, Integer::sum));
                JsonNode summary =
                        get(client, server.port(), "/events?type=user&user_id=user-" + user + "&summary=true");
                Map<String, Integer> counted = new HashMap<>();
                summary.get("events")
                        .forEach(s -> counted.put(
                                s.get("name").asText(), s.get("count").asInt()));
                assertThat(counted).as("summary counts equal stored events").isEqualTo(storedPerName);
            }
        }
    }

    private static JsonNode get(HttpClient client, int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + TestingServer.TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TallyJson.mapper().readTree(response.body());
    }

    private static void createUsers(int port) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            for (int user = 0; user < USERS; user++) {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/contacts"))
                                .header("Authorization", "Bearer " + TestingServer.TOKEN)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"external_id\":\"user-" + user + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isIn(200, 409);
            }
        }
    }

    /** Senders posting events (one in five repeats an earlier one) until stopped, recording every 202. */
    private static final class Load {
        final int port;
        final Set<Acked> acked;
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger sequence = new AtomicInteger();
        final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        final HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final long base = Instant.now().getEpochSecond() - 3600;

        Load(int port, Set<Acked> acked) {
            this.port = port;
            this.acked = acked;
        }

        void start() {
            for (int i = 0; i < SENDERS; i++) {
                executor.submit(this::send);
            }
        }

        void send() {
            while (running.get()) {
                int n = sequence.getAndIncrement();
                int id = n % 5 == 4 ? n / 2 : n;
                Acked event = new Acked(id % USERS, "crash-" + (id % 3), base + id / USERS);
                String body = "{\"event_name\":\"" + event.name() + "\",\"created_at\":" + event.createdAt()
                        + ",\"user_id\":\"user-" + event.user() + "\",\"metadata\":{\"n\":" + id + "}}";
                try {
                    HttpResponse<String> response = client.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events"))
                                    .header("Authorization", "Bearer " + TestingServer.TOKEN)
                                    .header("Content-Type", "application/json")
                                    .timeout(Duration.ofSeconds(10))
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 202) {
                        acked.add(event);
                    }
                } catch (java.net.ConnectException e) {
                    return;
                } catch (IOException e) {
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        void awaitAcks(int count) throws InterruptedException {
            Instant deadline = Instant.now().plusSeconds(60);
            while (acked.size() < count && Instant.now().isBefore(deadline)) {
                Thread.sleep(5);
            }
            assertThat(acked.size()).as("acknowledgements before the kill").isGreaterThanOrEqualTo(count);
        }

        void stop() throws InterruptedException {
            running.set(false);
            executor.shutdown();
            executor.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
            client.close();
        }
    }
}
