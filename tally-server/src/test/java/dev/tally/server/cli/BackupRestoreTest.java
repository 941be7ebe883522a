package dev.tally.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.TestingLoad;
import dev.tally.server.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
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

    @Test
    void backupUnderLoadRestoresEveryEventAcknowledgedBeforeIt() throws Exception {
        Path live = temp.resolve("live");
        Path backup = temp.resolve("backup");
        Path restored = temp.resolve("restored");
        Set<TestingLoad.Event> ackedBeforeBackup;
        int ackedDuringBackup;
        try (TestingServer server = TestingServer.start(live)) {
            TestingLoad.createUsers(server, USERS);
            long base = TestingLoad.anHourAgo();
            try (TestingLoad load = TestingLoad.start(
                    server, SENDERS, n -> new TestingLoad.Event(n % USERS, "backup-" + (n % 3), base + n / USERS))) {
                load.awaitAcks(300);
                ackedBeforeBackup = Set.copyOf(load.acked());
                int before = load.acked().size();
                assertThat(run(server, "backup", backup.toString())).isZero();
                load.awaitAcks(load.acked().size() + 50);
                ackedDuringBackup = load.acked().size() - before;
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
                Set<TestingLoad.Event> stored = Set.copyOf(TestingLoad.storedEvents(server, user));
                int u = user;
                assertThat(stored)
                        .as(TestingLoad.userId(user) + ": events acknowledged before the backup")
                        .containsAll(ackedBeforeBackup.stream()
                                .filter(a -> a.user() == u)
                                .toList());
                Map<String, Integer> perName = new HashMap<>();
                stored.forEach(a -> perName.merge(a.name(), 1, Integer::sum));
                Map<String, Integer> summarized = new HashMap<>();
                TestingServer.json(
                                server.get("/events?type=user&user_id=" + TestingLoad.userId(user) + "&summary=true"))
                        .get("events")
                        .forEach(s -> summarized.put(
                                s.get("name").asText(), s.get("count").asInt()));
                assertThat(summarized).as("summaries equal the stored events").isEqualTo(perName);
            }
        }
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
}
