package dev.tally.server;

import static dev.tally.server.TestingServer.assertError;
import static dev.tally.server.TestingServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the store cannot commit, clients get 503 with Retry-After, never a 202; service resumes by itself. */
class StoreFailureTest {
    @TempDir
    Path dataDir;

    FaultInjectingStore store;
    TallyServer tally;
    TestingServer client;

    @BeforeEach
    void start() {
        var config = TestingServer.config(dataDir);
        store = new FaultInjectingStore(Stores.open(config));
        tally = TallyServer.start(config, store, Clock.systemUTC(), token -> {});
        client = TestingServer.attach(tally);
        client.createUser("u", "u@example.com");
    }

    @AfterEach
    void stop() {
        tally.close();
    }

    @Test
    void failedCommitIsA503WithRetryAfterAndTheServerRecoversWhenTheStoreDoes() {
        long now = Instant.now().getEpochSecond();
        String event = "{\"event_name\":\"during-outage\",\"created_at\":" + now + ",\"user_id\":\"u\"}";
        store.breakStore();
        HttpResponse<String> refused = client.post("/events", event);
        assertError(refused, 503, "service_unavailable");
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertError(client.send(client.request("/health").GET().build()), 503, "service_unavailable");
        assertError(client.get("/events?type=user&user_id=u"), 503, "service_unavailable");

        store.repair();
        assertThat(client.send(client.request("/health").GET().build()).statusCode())
                .isEqualTo(200);
        assertThat(json(client.get("/events?type=user&user_id=u")).get("events"))
                .isEmpty();
        assertThat(client.post("/events", event).statusCode()).isEqualTo(202);
        assertThat(json(client.get("/events?type=user&user_id=u")).get("events"))
                .hasSize(1);
    }
}
