package dev.tally.server;

import static dev.tally.server.TestingServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.json.TallyJson;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example of the documents Tally was specified from, sent as written and read back. The
 * examples are years old; Tally lists only the last 90 days, so the listing checks use the same
 * bodies with a recent {@code created_at}, and the summaries check the original times.
 */
class SeedExamplesTest {
    private static final String PLACED_ORDER_METADATA = """
            {
                "order_date": 1392036272,
                "stripe_invoice": "inv_3434343434",
                "order_number": {
                  "value":"3434-3434",
                  "url": "https://example.org/orders/3434-3434"
                },
                "price": {
                  "currency":"usd",
                  "amount": 2999
                }
            }""";

    @TempDir
    Path dataDir;

    TestingServer server;
    final long recent = java.time.Instant.now().getEpochSecond() - 60;

    @BeforeEach
    void start() {
        server = TestingServer.start(dataDir);
        server.createUser("314159", "frodo.baggins@example.com");
        server.createUser("342311", "sam@example.com");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void placedOrderWithDateStripeInvoiceRichLinkAndMoneyComesBackAsSent() throws Exception {
        String seed = """
                {
                  "event_name" : "placed-order",
                  "created_at": 1389913941,
                  "user_id": "314159",
                  "metadata": %s
                }""".formatted(PLACED_ORDER_METADATA);
        assertThat(server.post("/events", seed).statusCode()).isEqualTo(202);
        assertThat(server.post("/events", seed.replace("1389913941", Long.toString(recent)))
                        .statusCode())
                .isEqualTo(202);

        JsonNode listed = json(server.get("/events?type=user&user_id=314159")).get("events");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("metadata")).isEqualTo(TallyJson.mapper().readTree(PLACED_ORDER_METADATA));

        JsonNode summary = json(server.get("/events?type=user&user_id=314159&summary=true"))
                .get("events")
                .get(0);
        assertThat(summary.get("name").asText()).isEqualTo("placed-order");
        assertThat(summary.get("count").asInt()).isEqualTo(2);
        assertThat(summary.get("first").asText()).isEqualTo("2014-01-16T23:12:21.000Z");
    }

    @Test
    void invitedFriendWithoutMetadataAndWithStringMetadata() throws Exception {
        assertThat(server.post("/events", """
                {
                  "event_name" : "invited-friend",
                  "created_at": 1389913941,
                  "user_id": "342311"
                }""").statusCode()).isEqualTo(202);
        String withMetadata = """
                {
                  "event_name" : "invited-friend",
                  "created_at": %d,
                  "user_id": "314159",
                  "metadata": {
                     "invitee_email": "pi@example.org",
                     "invite_code": "ADDAFRIEND"
                  }
                }""".formatted(recent);
        assertThat(server.post("/events", withMetadata).statusCode()).isEqualTo(202);

        JsonNode listed = json(server.get("/events?type=user&user_id=314159"))
                .get("events")
                .get(0);
        assertThat(listed.get("metadata"))
                .isEqualTo(TallyJson.mapper()
                        .readTree("{\"invitee_email\":\"pi@example.org\",\"invite_code\":\"ADDAFRIEND\"}"));
        JsonNode old = json(server.get("/events?type=user&user_id=342311&summary=true"))
                .get("events")
                .get(0);
        assertThat(old.get("name").asText()).isEqualTo("invited-friend");
        assertThat(old.get("last").asText()).isEqualTo("2014-01-16T23:12:21.000Z");
    }

    @Test
    void eventSentByEmailAsTheRubyExampleDoes() {
        String byEmail = """
                {"event_name": "invited-friend", "email": "frodo.baggins@example.com", "created_at": %d,
                 "metadata": {"invitee_email": "pi@example.org", "invite_code": "ADDAFRIEND", "found_date": 1391691571}}""".formatted(recent);
        assertThat(server.post("/events", byEmail).statusCode()).isEqualTo(202);
        JsonNode event = json(server.get("/events?type=user&email=frodo.baggins%40example.com"))
                .get("events")
                .get(0);
        assertThat(event.get("metadata").get("found_date").asLong()).isEqualTo(1391691571L);
        assertThat(event.get("email").asText()).isEqualTo("frodo.baggins@example.com");
    }

    @Test
    void referenceExampleWithEveryIdentifierUsesTheIdFirstOrFailsOnAnUnknownId() {
        // The API reference sends id, user_id and email together; id wins, and here it is unknown.
        String reference = """
                {"event_name": "invited-friend", "created_at": 1671028894, "user_id": "314159",
                 "id": "8a88a590-e1c3-41e2-a502-e0649dbf721c", "email": "frodo.baggins@example.com",
                 "metadata": {"invite_code": "ADDAFRIEND"}}""";
        TestingServer.assertError(server.post("/events", reference), 404, "not_found");
    }

    @Test
    void numbersAndLinksFromTheMetadataTableKeepTheirValues() throws Exception {
        String metadata =
                "{\"source\":\"desktop\",\"load\":3.67,\"contact_date\":1392036272,\"contacted_at\":1392036272,"
                        + "\"article\":\"https://example.org/ab1de.html\","
                        + "\"rich\":{\"url\":\"https://example.org/ab1de.html\",\"value\":\"the dude abides\"},"
                        + "\"stripe_customer\":\"cus_42424242424\",\"price\":{\"amount\":34999,\"currency\":\"eur\"}}";
        String event = "{\"event_name\":\"table\",\"created_at\":" + recent + ",\"user_id\":\"314159\",\"metadata\":"
                + metadata + "}";
        assertThat(server.post("/events", event).statusCode()).isEqualTo(202);
        JsonNode listed = json(server.get("/events?type=user&user_id=314159"))
                .get("events")
                .get(0)
                .get("metadata");
        assertThat(listed).isEqualTo(TallyJson.mapper().readTree(metadata));
        assertThat(listed.get("load").decimalValue()).isEqualByComparingTo("3.67");
    }
}
