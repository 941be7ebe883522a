package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.TestingReceiver.Answer;
import dev.tally.testing.process.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox is durable: notifications owed when the packaged server is SIGKILLed (none of them
 * delivered yet, the receiver refusing with 503) all arrive after a restart on the same data.
 */
class WebhookCrashIT {
    private static final int EVENTS = 200;

    @TempDir
    Path dataDir;

    @Test
    void everyNotificationPendingAtASigkillArrivesAfterARestart() throws Exception {
        Map<String, String> environment = Map.of(
                "TALLY_WEBHOOKS_ALLOW_PRIVATE",
                "true",
                "TALLY_WEBHOOK_RETRY_SCHEDULE",
                String.join(",", java.util.Collections.nCopies(40, "1s")));
        long base = Instant.now().getEpochSecond() - EVENTS;
        Set<Long> acknowledged = new HashSet<>();
        try (TestingReceiver receiver = TestingReceiver.start(number -> Answer.of(503));
                HttpClient client = HttpClient.newHttpClient()) {
            try (ServerProcess server = ServerProcess.start(dataDir, TestingServer.TOKEN, environment)) {
                int port = server.port();
                assertThat(post(client, port, "/subscriptions", WebhooksTest.subscriptionBody(receiver.url(), "paid"))
                                .statusCode())
                        .isEqualTo(200);
                assertThat(post(client, port, "/contacts", "{\"role\":\"user\",\"external_id\":\"u1\"}")
                                .statusCode())
                        .isEqualTo(200);
                for (int i = 0; i < EVENTS; i++) {
                    HttpResponse<String> response =
                            post(client, port, "/events", WebhooksTest.event("paid", base + i, "u1", ""));
                    if (response.statusCode() == 202) {
                        acknowledged.add(base + i);
                    }
                }
                server.kill();
            }
            assertThat(acknowledged).hasSize(EVENTS);

            receiver.respondWith(number -> Answer.of(200));
            try (ServerProcess restarted = ServerProcess.start(dataDir, TestingServer.TOKEN, environment)) {
                Set<Long> arrived = new HashSet<>();
                TestingReceiver.awaitCondition("every acknowledged event notified", Duration.ofSeconds(90), () -> {
                    arrived.clear();
                    for (TestingReceiver.Received request : receiver.received()) {
                        arrived.add(request.json()
                                .get("data")
                                .get("item")
                                .get("created_at")
                                .asLong());
                    }
                    return arrived.containsAll(acknowledged);
                });
                assertThat(arrived).isEqualTo(acknowledged);
                assertThat(restarted.output()).noneMatch(line -> line.contains("ERROR"));
            }
        }
    }

    private static HttpResponse<String> post(HttpClient client, int port, String path, String json)
            throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + TestingServer.TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
