package dev.tally.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.TestingServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backfill and export against a real server: 100,000 events in, the same 100,000 out. */
class ImportExportTest {
    private static final int USERS = 200;
    private static final int EVENTS = 100_000;

    @TempDir
    Path dir;

    TestingServer server;
    ApiClient client;

    @BeforeEach
    void start() {
        server = TestingServer.start(
                TestingServer.config(dir.resolve("data")).withRateLimit(dev.tally.server.config.RateLimitConfig.OFF));
        client = new ApiClient("http://127.0.0.1:" + server.port(), TestingServer.TOKEN, duration -> {});
        for (int user = 0; user < USERS; user++) {
            server.createUser("user-" + user, "user" + user + "@example.com");
        }
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void aHundredThousandEventFileImportsWithProgressAndExportsBackIdentical() throws Exception {
        long base = Instant.now().getEpochSecond() - 200 * 86_400L;
        List<String> lines = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            lines.add("{\"event_name\":\"backfilled-" + (i % 7) + "\",\"created_at\":" + (base + i / USERS)
                    + ",\"user_id\":\"user-" + (i % USERS) + "\",\"metadata\":{\"n\":" + i + ",\"price\":{\"amount\":"
                    + i + ",\"currency\":\"eur\"},\"page\":\"https://example.org/p/" + i + "\"}}");
        }
        Path file = dir.resolve("events.ndjson.gz");
        try (Writer out = new java.io.OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8)) {
            for (String line : lines) {
                out.write(line);
                out.write('\n');
            }
        }

        ByteArrayOutputStream progressBytes = new ByteArrayOutputStream();
        PrintStream progressOut = new PrintStream(progressBytes, true, StandardCharsets.UTF_8);
        ImportCommand.Importer.Totals totals = new ImportCommand.Importer(
                        client, 1000, new ImportCommand.Progress(progressOut, Files.size(file), false))
                .run(file, ImportCommand.rejectedPath(file), ImportCommand.errorsPath(file));
        assertThat(totals.accepted()).isEqualTo(EVENTS);
        assertThat(totals.rejected()).isZero();
        assertThat(progressBytes.toString(StandardCharsets.UTF_8))
                .contains("100.0%")
                .contains("events/s")
                .contains("ETA");

        // Running the same import again is safe: everything is a duplicate.
        ImportCommand.Importer.Totals again = new ImportCommand.Importer(
                        client, 1000, new ImportCommand.Progress(progressOut, Files.size(file), false))
                .run(file, ImportCommand.rejectedPath(file), ImportCommand.errorsPath(file));
        assertThat(again.duplicates()).isEqualTo(EVENTS);
        assertThat(again.accepted()).isZero();

        ByteArrayOutputStream exported = new ByteArrayOutputStream();
        assertThat(new ExportCommand.Exporter(client).run("", exported)).isTrue();
        List<String> exportedLines =
                exported.toString(StandardCharsets.UTF_8).lines().sorted().toList();
        assertThat(exportedLines)
                .hasSize(EVENTS)
                .isEqualTo(lines.stream().sorted().toList());
    }

    @Test
    void rejectedLinesAreWrittenUnchangedToAFileThatReimportsOnceFixed() throws Exception {
        long now = Instant.now().getEpochSecond();
        Path file = dir.resolve("mixed.ndjson");
        String good = "{\"event_name\":\"ok\",\"created_at\":" + now + ",\"user_id\":\"user-1\"}";
        String unknownUser = "{\"event_name\":\"ok\",\"created_at\":" + now + ",\"user_id\":\"later\"}";
        Files.writeString(file, good + "\n" + unknownUser + "\nnot json\n");
        ImportCommand.Importer.Totals totals = new ImportCommand.Importer(
                        client,
                        2,
                        new ImportCommand.Progress(new PrintStream(OutputStream.nullOutputStream()), 1, false))
                .run(file, ImportCommand.rejectedPath(file), ImportCommand.errorsPath(file));
        assertThat(totals.accepted()).isEqualTo(1);
        assertThat(totals.rejected()).isEqualTo(2);
        assertThat(Files.readAllLines(ImportCommand.rejectedPath(file))).containsExactly(unknownUser, "not json");
        assertThat(Files.readString(ImportCommand.errorsPath(file))).contains("not_found");

        server.createUser("later", "later@example.com");
        Path fixed = dir.resolve("fixed.ndjson");
        Files.writeString(fixed, unknownUser + "\n");
        ImportCommand.Importer.Totals retried = new ImportCommand.Importer(
                        client,
                        2,
                        new ImportCommand.Progress(new PrintStream(OutputStream.nullOutputStream()), 1, false))
                .run(fixed, ImportCommand.rejectedPath(fixed), ImportCommand.errorsPath(fixed));
        assertThat(retried.accepted()).isEqualTo(1);
        assertThat(Files.exists(ImportCommand.rejectedPath(fixed))).isFalse();
    }

    @Test
    void exportNarrowsToOneUserAndATimeRange() throws IOException, InterruptedException {
        long now = Instant.now().getEpochSecond();
        for (int i = 0; i < 5; i++) {
            server.post(
                    "/events", "{\"event_name\":\"t\",\"created_at\":" + (now - 100 + i) + ",\"user_id\":\"user-3\"}");
            server.post(
                    "/events", "{\"event_name\":\"t\",\"created_at\":" + (now - 100 + i) + ",\"user_id\":\"user-4\"}");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ExportCommand.Exporter(client).run("&user_id=user-3&from=" + (now - 99) + "&to=" + (now - 97), out);
        assertThat(out.toString(StandardCharsets.UTF_8).lines().toList())
                .hasSize(3)
                .allMatch(line -> line.contains("\"user-3\""));
    }
}
