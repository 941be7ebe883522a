package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.json.TallyJson;
import dev.tally.server.config.DatabaseConfig;
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
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A 202 means the event is safe: concurrent senders record every 202, the server is killed mid-load,
 * restarted on the same data, and every acknowledged event must be there exactly once, with every
 * summary count equal to its stored events. On both stores: twenty SIGKILL rounds on one data set, some
 * of them killing the server again while it restarts; on RocksDB also a kill during a compaction; and
 * a SIGTERM that must finish what is in flight. The PostgreSQL rounds need {@code
 * TALLY_TEST_DATABASE_URL} (skipped without it, failed under CI), each test in a fresh schema.
 */
class CrashSafetyIT {
    private static final int USERS = 8;
    private static final int SENDERS = 16;
    private static final int ROUNDS = 20;
    /** Acknowledgements to wait for before each round's kill, in turn: at once, early, mid-load. */
    private static final int[] KILL_AFTER = {1, 20, 80, 200};

    @TempDir
    Path dataDir;

    /** An event the server acknowledged: which user, which name, which second. */
    record Acked(int user, String name, long createdAt) {}

    enum Storage {
        ROCKSDB,
        POSTGRES
    }

    /** The variables that put the packaged server on this store; PostgreSQL in a fresh schema per test. */
    private static Map<String, String> environment(Storage storage) {
        return switch (storage) {
            case ROCKSDB -> Map.of("TALLY_ADMIN_TOKEN", TestingServer.ADMIN_TOKEN);
            case POSTGRES -> {
                DatabaseConfig database = TestingPostgres.freshSchema();
                yield Map.of(
                        "TALLY_ADMIN_TOKEN",
                        TestingServer.ADMIN_TOKEN,
                        "TALLY_STORAGE",
                        "postgres",
                        "TALLY_DATABASE_URL",
                        database.url(),
                        "TALLY_DATABASE_SCHEMA",
                        database.schema().orElseThrow());
            }
        };
    }

    @ParameterizedTest(name = "{0}: twenty SIGKILL rounds, some during recovery")
    @EnumSource(Storage.class)
    void everyAcknowledgedEventSurvivesTwentySigkillRounds(Storage storage) throws Exception {
        Map<String, String> environment = environment(storage);
        Set<Acked> acked = ConcurrentHashMap.newKeySet();
        Random random = new Random(storage.ordinal());
        for (int round = 0; round < ROUNDS; round++) {
            try (ServerProcess server = ServerProcess.start(dataDir, TestingServer.TOKEN, environment)) {
                if (round == 0) {
                    createUsers(server.port());
                }
                Load load = new Load(server.port(), acked, "r" + round, "");
                load.start();
                load.awaitAcks(acked.size() + KILL_AFTER[round % KILL_AFTER.length]);
                server.kill();
                load.stop();
            }
            if (round % 5 == 2) {
                // Killed again while it restarts: while it opens the store and replays its log.
                try (ServerProcess restarting = ServerProcess.launch(dataDir, TestingServer.TOKEN, environment)) {
                    Thread.sleep(100 + random.nextInt(400)); // a point in the restart, not a measurement
                    restarting.kill();
                }
            }
        }
        verifyAfterRestart(acked, environment);
    }

    @Test
    void everyAcknowledgedEventSurvivesSigkillDuringACompaction() throws Exception {
        // 1 MiB memtables (the smallest) and padded events: flushes and compactions run all the time.
        Map<String, String> environment = new HashMap<>(environment(Storage.ROCKSDB));
        environment.put("JAVA_TOOL_OPTIONS", "-Dtally.rocksdb.write-buffer-bytes=1048576");
        Set<Acked> acked = ConcurrentHashMap.newKeySet();
        try (ServerProcess server = ServerProcess.start(dataDir, TestingServer.TOKEN, environment);
                HttpClient client = HttpClient.newHttpClient()) {
            createUsers(server.port());
            Load load = new Load(server.port(), acked, "compaction", "x".repeat(200));
            load.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            boolean compacting = false;
            while (!compacting && System.nanoTime() < deadline) {
                compacting = runningCompactions(client, server.port()) > 0;
            }
            server.kill();
            load.stop();
            assertThat(compacting)
                    .as("a compaction was running when the server was killed")
                    .isTrue();
        }
        verifyAfterRestart(acked, Map.of());
    }

    @ParameterizedTest(name = "{0}: SIGTERM finishes in-flight requests")
    @EnumSource(Storage.class)
    void sigtermFinishesInFlightRequestsAndLosesNothing(Storage storage) throws Exception {
        Map<String, String> environment = environment(storage);
        Set<Acked> acked = ConcurrentHashMap.newKeySet();
        Load load;
        try (ServerProcess server = ServerProcess.start(dataDir, TestingServer.TOKEN, environment)) {
            createUsers(server.port());
            load = new Load(server.port(), acked, "sigterm", "");
            load.start();
            load.awaitAcks(500);
            int exit = server.terminate();
            load.stop();
            assertThat(exit).as(String.join("\n", server.output())).isIn(0, 143);
            assertThat(server.output()).anyMatch(line -> line.contains("stopped; store closed"));
        }
        verifyAfterRestart(acked, environment);
    }

    /** RocksDB's running compactions, read from /metrics as an operator would. */
    private static double runningCompactions(HttpClient client, int port) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .header("Authorization", "Bearer " + TestingServer.ADMIN_TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        for (String line : response.body().split("\n")) {
            if (line.startsWith("tally_store_num_running_compactions ")) {
                return Double.parseDouble(line.substring(line.indexOf(' ') + 1).strip());
            }
        }
        return 0;
    }

    private void verifyAfterRestart(Set<Acked> acked, Map<String, String> environment) throws Exception {
        assertThat(acked).isNotEmpty();
        try (ServerProcess server = ServerProcess.start(dataDir, TestingServer.TOKEN, environment);
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
        final String round;
        final String padding;

        /** Events named after the {@code round} (so rounds never collide), with {@code padding} in their metadata. */
        Load(int port, Set<Acked> acked, String round, String padding) {
            this.port = port;
            this.acked = acked;
            this.round = round;
            this.padding = padding;
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
                Acked event = new Acked(id % USERS, "crash-" + round + "-" + (id % 3), base + id / USERS);
                String body = "{\"event_name\":\"" + event.name() + "\",\"created_at\":" + event.createdAt()
                        + ",\"user_id\":\"user-" + event.user() + "\",\"metadata\":{\"n\":" + id
                        + (padding.isEmpty() ? "" : ",\"padding\":\"" + padding + "\"") + "}}";
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
