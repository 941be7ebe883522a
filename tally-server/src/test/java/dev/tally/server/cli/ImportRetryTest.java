package dev.tally.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.MutableClock;
import dev.tally.server.TestingServer;
import dev.tally.server.config.RateLimitConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An import that hits the rate limit waits as the server says (Retry-After) and finishes with nothing lost. */
class ImportRetryTest {
    @TempDir
    Path dir;

    @Test
    void rateLimitedBatchesAreRetriedAfterRetryAfterUntilEverythingIsIn() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
        // 6 calls a minute: one call per 10-second window, so every second batch is refused with 429.
        try (TestingServer server = TestingServer.start(
                TestingServer.config(dir.resolve("data")).withRateLimit(new RateLimitConfig(6, Duration.ofSeconds(10))),
                clock)) {
            server.send(server.request("/health").GET().build());
            List<Duration> waits = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            long createdAt = clock.instant().getEpochSecond() - 60;
            String contact = TestingServer.json(
                            server.post("/admin/workspaces", "{\"name\":\"import\"}", TestingServer.ADMIN_TOKEN))
                    .get("access_token")
                    .get("token")
                    .asText();
            clock.advance(Duration.ofSeconds(10));
            server.post("/contacts", "{\"external_id\":\"u\"}", contact);
            for (int i = 0; i < 5; i++) {
                lines.add("{\"event_name\":\"e\",\"created_at\":" + (createdAt + i) + ",\"user_id\":\"u\"}");
            }
            Path file = dir.resolve("events.ndjson");
            Files.write(file, lines);
            ApiClient client = new ApiClient("http://127.0.0.1:" + server.port(), contact, duration -> {
                waits.add(duration);
                clock.advance(duration);
            });
            try (client) {
                ImportCommand.Importer.Totals totals = new ImportCommand.Importer(
                                client,
                                1,
                                new ImportCommand.Progress(new PrintStream(OutputStream.nullOutputStream()), 1, false))
                        .run(file, ImportCommand.rejectedPath(file), ImportCommand.errorsPath(file));
                assertThat(totals.accepted()).isEqualTo(5);
                assertThat(totals.failed()).isFalse();
            }
            assertThat(waits)
                    .isNotEmpty()
                    .allSatisfy(wait -> assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10)));
        }
    }
}
