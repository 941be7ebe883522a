package dev.tally.server;

import static dev.tally.server.TestingServer.assertError;
import static dev.tally.server.TestingServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsApiTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    @TempDir
    Path dataDir;

    TestingServer server;

    @BeforeEach
    void start() {
        server = TestingServer.start(TestingServer.config(dataDir), new MutableClock(NOW));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theOverviewCountsEventsPerUtcDayAndNameAndNewContactsPerDay() {
        server.createUser("u1", "u1@example.com");
        long today = NOW.getEpochSecond();
        long yesterday = NOW.minus(Duration.ofDays(1)).getEpochSecond();
        post("placed-order", today);
        post("placed-order", today - 60);
        post("placed-order", today - 60); // a duplicate: not counted
        post("logged-in", yesterday);
        post("logged-in", NOW.minus(Duration.ofDays(8)).getEpochSecond()); // outside 7 days

        JsonNode overview = json(server.get("/stats/overview?days=7"));

        assertThat(overview.get("type").asText()).isEqualTo("overview");
        assertThat(overview.get("days")).hasSize(7);
        assertThat(overview.get("days").get(6).asText())
                .isEqualTo(LocalDate.ofInstant(NOW, ZoneOffset.UTC).toString());
        assertThat(overview.get("total").toString()).isEqualTo("[0,0,0,0,0,1,2]");
        assertThat(overview.get("names").toString())
                .isEqualTo("[{\"name\":\"logged-in\",\"counts\":[0,0,0,0,0,1,0]},"
                        + "{\"name\":\"placed-order\",\"counts\":[0,0,0,0,0,0,2]}]");
        assertThat(overview.get("top_names").toString())
                .isEqualTo("[{\"name\":\"placed-order\",\"count\":2},{\"name\":\"logged-in\",\"count\":1}]");
        assertThat(overview.get("new_contacts").toString()).isEqualTo("[0,0,0,0,0,0,1]");
        assertThat(json(server.get("/stats/overview")).get("days")).hasSize(30);
        assertThat(json(server.get("/stats/overview?days=90")).get("total").toString())
                .contains("1");
    }

    @Test
    void onlySevenThirtyOrNinetyDaysAreOffered() {
        assertError(server.get("/stats/overview?days=365"), 400, "parameter_invalid");
        assertError(server.get("/stats/overview?days=week"), 400, "parameter_invalid");
        assertThat(server.get("/stats/overview", "wrong-token-0123456789").statusCode())
                .isEqualTo(401);
    }

    private void post(String name, long createdAt) {
        HttpResponse<String> response = server.post(
                "/events", "{\"event_name\":\"" + name + "\",\"created_at\":" + createdAt + ",\"user_id\":\"u1\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }
}
