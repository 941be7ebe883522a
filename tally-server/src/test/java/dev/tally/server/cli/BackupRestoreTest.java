package dev.tally.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.TestingServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tally backup} against a server under load, then {@code tally restore} into an empty data
 * directory and a server started on it: every event acknowledged before the backup began is there, and
 * every summary equals the stored events it counts.
 */
class BackupRestoreTest {
    private static final int USERS = 4;
    private static final int SENDERS = 8;

    @TempDir
    Path temp;

    record Acked(int user, String name, long createdAt) {}

    @Test
    void backupUnderLoadRestoresEveryEventAcknowledgedBeforeIt() throws Exception {
        Path live = temp.resolve("live");
        Path backup = temp.resolve("backup");
        Path restored = temp.resolve("restored");
        Set<Acked> ackedBeforeBackup;
        int ackedDuringBackup;
        try (TestingServer server = TestingServer.start(live)) {
            for (int user = 0; user < USERS; user++) {
                server.createUser("user-" + user, "user-" + user + "@example.com");
            }
            try (Load load = new Load(server)) {
                load.awaitAcks(300);
                ackedBeforeBackup = Set.copyOf(load.acked);
                int before = load.acked.size();
                assertThat(run(server, "backup", backup.toString())).isZero();
                load.awaitAcks(load.acked.size() + 50);
                ackedDuringBackup = load.acked.size() - before;
            }
        }
        assertThat(ackedDuringBackup)
                .as("ingest went on during and after the backup")
                .isPositive();
        assertThat(Files.isRegularFile(backup.resolve("CURRENT"))).isTrue();

        assertThat(run(null, "restore", backup.toString(), "--data-dir", live.toString()))
                .as("restore refuses a data directory that holds a store")
                .isEqualTo(2);
        assertThat(run(null, "restore", backup.toString(), "--data-dir", restored.toString()))
                .isZero();

        try (TestingServer server = TestingServer.start(restored)) {
            for (int user = 0; user < USERS; user++) {
                Set<Acked> stored = listAll(server, user);
                int u = user;
                assertThat(stored)
                        .as("user-" + user + ": events acknowledged before the backup")
                        .containsAll(ackedBeforeBackup.stream()
                                .filter(a -> a.user() == u)
                                .toList());
                Map<String, Integer> perName = new HashMap<>();
                stored.forEach(a -> perName.merge(a.name(), 1, Integer::sum));
                Map<String, Integer> summarized = new HashMap<>();
                TestingServer.json(server.get("/events?type=user&user_id=user-" + user + "&summary=true"))
                        .get("events")
                        .forEach(s -> summarized.put(
                                s.get("name").asText(), s.get("count").asInt()));
                assertThat(summarized).as("summaries equal the stored events").isEqualTo(perName);
            }
        }
    }

    private static Set<Acked> listAll(TestingServer server, int user) {
        Set<Acked> stored = new HashSet<>();
        String next = "/events?type=user&user_id=user-" + user + "&per_page=150";
        while (next != null) {
            HttpResponse<String> response = server.get(next);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode page = TestingServer.json(response);
            for (JsonNode event : page.get("events")) {
                stored.add(new Acked(
                        user,
                        event.get("event_name").asText(),
                        event.get("created_at").asLong()));
            }
            JsonNode nextUrl = page.get("pages").get("next");
            next = nextUrl.isNull()
                    ? null
                    : nextUrl.asText().substring(nextUrl.asText().indexOf("/events"));
        }
        return stored;
    }

    /** Runs the CLI in this JVM, with the admin token in a stand-in environment. */
    private static int run(TestingServer server, String... args) {
        Map<String, String> environment = Map.of("TALLY_ADMIN_TOKEN", TestingServer.ADMIN_TOKEN);
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == BackupCommand.class) {
                    return type.cast(new BackupCommand(environment::get));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        String[] full = args;
        if (server != null) {
            full = new String[args.length + 2];
            System.arraycopy(args, 0, full, 0, args.length);
            full[args.length] = "--url";
            full[args.length + 1] = "http://127.0.0.1:" + server.port();
        }
        return new CommandLine(new Main(), factory).execute(full);
    }

    /** Senders posting distinct events until closed, recording every 202. */
    private static final class Load implements AutoCloseable {
        final Set<Acked> acked = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger sequence = new AtomicInteger();
        private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
        private final HttpClient client = HttpClient.newHttpClient();
        private final long base = Instant.now().getEpochSecond() - 3600;

        Load(TestingServer server) {
            for (int i = 0; i < SENDERS; i++) {
                senders.submit(() -> send(server));
            }
        }

        private void send(TestingServer server) {
            while (running.get()) {
                int n = sequence.getAndIncrement();
                Acked event = new Acked(n % USERS, "backup-" + (n % 3), base + n / USERS);
                String body = "{\"event_name\":\"" + event.name() + "\",\"created_at\":" + event.createdAt()
                        + ",\"user_id\":\"user-" + event.user() + "\"}";
                try {
                    HttpResponse<String> response = client.send(
                            server.request("/events")
                                    .header("Authorization", "Bearer " + TestingServer.TOKEN)
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 202) {
                        acked.add(event);
                    }
                } catch (IOException e) {
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        void awaitAcks(int count) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (acked.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(acked.size()).isGreaterThanOrEqualTo(count);
        }

        @Override
        public void close() {
            running.set(false);
            senders.shutdown();
            try {
                senders.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            client.close();
        }
    }
}
