package dev.tally.server;

import static dev.tally.server.TestingServer.assertError;
import static dev.tally.server.TestingServer.json;
import static dev.tally.server.WebhooksTest.event;
import static dev.tally.server.WebhooksTest.subscriptionBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.config.ServerConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subscriptions for a segment's contacts, end to end: a real server and a real receiver on
 * loopback. Subclassed to run on PostgreSQL.
 */
class SegmentWebhooksTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Did placed-order at least twice: the event being notified counts, as it is stored before delivery. */
    private static final String REPEAT_BUYERS =
            "{\"name\":\"Repeat buyers\",\"query\":{\"field\":\"events.placed-order.count\",\"operator\":\">=\","
                    + "\"value\":2}}";

    @TempDir
    Path dataDir;

    private TestingServer server;
    private TestingReceiver receiver;
    private final long now = Instant.now().getEpochSecond();

    protected ServerConfig config(Path dir) {
        return TestingServer.config(dir);
    }

    @BeforeEach
    void start() {
        server = TestingServer.start(config(dataDir).withWebhooks(WebhooksTest.FAST));
        receiver = TestingReceiver.accepting();
    }

    @AfterEach
    void stop() {
        // Null when the start was skipped (a PostgreSQL subclass without TALLY_TEST_DATABASE_URL).
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void onlyEventsOfTheSegmentsMembersAreSentTheOthersAreSkippedOnRecord() {
        String segment = segment(REPEAT_BUYERS);
        JsonNode subscription = subscribe(segmentBody(segment));
        String id = subscription.get("id").asText();
        server.createUser("frodo", "frodo@example.com");
        server.createUser("sam", "sam@example.com");

        // Each one's first order: neither is a repeat buyer, even counting this order.
        assertThat(server.post("/events", event("placed-order", now - 10, "sam", ""))
                        .statusCode())
                .isEqualTo(202);
        assertThat(server.post("/events", event("placed-order", now - 9, "frodo", ""))
                        .statusCode())
                .isEqualTo(202);
        List<JsonNode> skipped = awaitDeliveries(id, "skipped", 2);
        assertThat(skipped).allSatisfy(delivery -> {
            assertThat(delivery.get("last_response").asText()).isEqualTo("not_in_segment");
            assertThat(delivery.get("delivery_attempts").asInt()).isZero();
            assertThat(delivery.get("next_attempt_at").isNull()).isTrue();
            assertThat(delivery.get("last_response_code").isNull()).isTrue();
        });

        // Frodo's second order makes him a member at delivery: that one is sent.
        assertThat(server.post("/events", event("placed-order", now, "frodo", ""))
                        .statusCode())
                .isEqualTo(202);
        TestingReceiver.Received sent = receiver.await(1, WAIT).getFirst();
        JsonNode item = sent.json().get("data").get("item");
        assertThat(item.get("user_id").asText()).isEqualTo("frodo");
        assertThat(item.get("created_at").asLong()).isEqualTo(now);
        awaitDeliveries(id, "delivered", 1);

        // Everything is settled (nothing pending), and the skipped ones were never sent nor retried.
        JsonNode all = json(server.get("/subscriptions/" + id + "/deliveries")).get("data");
        assertThat(all).hasSize(3);
        assertThat(all)
                .noneMatch(delivery -> delivery.get("delivery_status").asText().equals("pending"));
        assertThat(receiver.received()).hasSize(1);

        // A resend of a skipped notification judges membership again: Frodo's first order is now
        // a repeat buyer's and is sent; Sam's is skipped again.
        for (JsonNode delivery : skipped) {
            String notification = delivery.get("id").asText();
            HttpResponse<String> resent =
                    server.post("/subscriptions/" + id + "/deliveries/" + notification + "/resend", "");
            assertThat(resent.statusCode()).as(resent.body()).isEqualTo(202);
        }
        TestingReceiver.Received again = receiver.await(2, WAIT).get(1);
        assertThat(again.json().get("data").get("item").get("user_id").asText()).isEqualTo("frodo");
        awaitDeliveries(id, "delivered", 2);
        awaitDeliveries(id, "skipped", 1);
        assertThat(receiver.received()).hasSize(2);
    }

    @Test
    void membershipIsJudgedOnceBeforeTheFirstAttemptNotAgainOnRetries() {
        String vips = segment("{\"name\":\"VIPs\",\"query\":{\"field\":\"email\",\"operator\":\"$\","
                + "\"value\":\"@vip.example.com\"}}");
        String id = subscribe(segmentBody(vips)).get("id").asText();
        String frodo = server.createUser("frodo", "frodo@vip.example.com");
        // The first attempt fails, and meanwhile Frodo leaves the segment: the retry is sent all the same.
        receiver.respondWith(number -> {
            if (number == 1) {
                HttpResponse<String> changed = server.send(server.request("/contacts/" + frodo)
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"email\":\"frodo@example.com\"}"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + TestingServer.TOKEN)
                        .build());
                assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
                return TestingReceiver.Answer.of(500);
            }
            return TestingReceiver.Answer.of(200);
        });
        assertThat(server.post("/events", event("placed-order", now, "frodo", ""))
                        .statusCode())
                .isEqualTo(202);

        List<TestingReceiver.Received> sent = receiver.await(2, WAIT);
        assertThat(sent.get(1).notificationId()).isEqualTo(sent.get(0).notificationId());
        JsonNode delivered = awaitDeliveries(id, "delivered", 1).getFirst();
        assertThat(delivered.get("delivery_attempts").asInt()).isEqualTo(2);
        // A new event of the contact, no longer a member, is skipped.
        assertThat(server.post("/events", event("placed-order", now + 1, "frodo", ""))
                        .statusCode())
                .isEqualTo(202);
        awaitDeliveries(id, "skipped", 1);
        assertThat(receiver.received()).hasSize(2);
    }

    @Test
    void aSubscriptionShowsItsSegmentAndOneWithoutShowsNull() {
        String segment = segment(REPEAT_BUYERS);
        JsonNode withSegment = subscribe(segmentBody(segment));
        JsonNode without = subscribe(subscriptionBody(receiver.url(), "placed-order"));

        assertThat(withSegment.get("segment_id").asText()).isEqualTo(segment);
        assertThat(without.has("segment_id")).isTrue();
        assertThat(without.get("segment_id").isNull()).isTrue();
        assertThat(json(server.get("/subscriptions/" + withSegment.get("id").asText())))
                .isEqualTo(withSegment);
        assertThat(json(server.get("/subscriptions")).get("items")).containsExactlyInAnyOrder(withSegment, without);
    }

    @Test
    void aBadSegmentIdIsRefusedNamingIt() {
        String theirs = json(server.post("/segments", REPEAT_BUYERS, server.createWorkspaceToken("globex")))
                .get("id")
                .asText();
        for (String value : List.of("\"no-such-segment\"", "\"" + theirs + "\"", "\"\"")) {
            JsonNode error = assertError(server.post("/subscriptions", withSegmentId(value)), 400, "parameter_invalid");
            assertThat(error.get("field").asText()).as(value).isEqualTo("segment_id");
            assertThat(error.get("message").asText()).as(value).contains("no such segment");
        }
        for (String value : List.of("42", "[\"x\"]", "{\"id\":\"x\"}", "true")) {
            JsonNode error = assertError(server.post("/subscriptions", withSegmentId(value)), 400, "parameter_invalid");
            assertThat(error.get("field").asText()).as(value).isEqualTo("segment_id");
        }
        assertThat(json(server.get("/subscriptions")).get("items"))
                .as("a refused subscription is not stored")
                .isEmpty();
        // null is no segment, as absent.
        assertThat(json(server.post("/subscriptions", withSegmentId("null")))
                        .get("segment_id")
                        .isNull())
                .isTrue();
    }

    @Test
    void aSegmentThatASubscriptionUsesCannotBeDeletedUntilTheSubscriptionIs() {
        String segment = segment(REPEAT_BUYERS);
        String subscription = subscribe(segmentBody(segment)).get("id").asText();

        JsonNode error = assertError(server.delete("/segments/" + segment, TestingServer.TOKEN), 409, "conflict");
        assertThat(error.get("message").asText()).contains(subscription);
        assertThat(server.get("/segments/" + segment).statusCode()).isEqualTo(200);

        assertThat(server.delete("/subscriptions/" + subscription, TestingServer.TOKEN)
                        .statusCode())
                .isEqualTo(200);
        assertThat(server.delete("/segments/" + segment, TestingServer.TOKEN).statusCode())
                .isEqualTo(200);
        assertError(server.get("/segments/" + segment), 404, "not_found");
    }

    // ---- helpers

    private String segment(String body) {
        HttpResponse<String> created = server.post("/segments", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        return json(created).get("id").asText();
    }

    private String segmentBody(String segment) {
        return withSegmentId("\"" + segment + "\"");
    }

    private String withSegmentId(String json) {
        return subscriptionBody(receiver.url(), "placed-order").replaceFirst("\\{", "{\"segment_id\":" + json + ",");
    }

    private JsonNode subscribe(String body) {
        HttpResponse<String> created = server.post("/subscriptions", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        return json(created);
    }

    private List<JsonNode> awaitDeliveries(String subscription, String status, int count) {
        List<JsonNode> found = new ArrayList<>();
        TestingReceiver.awaitCondition(count + " " + status, WAIT, () -> {
            found.clear();
            for (JsonNode delivery : json(server.get("/subscriptions/" + subscription + "/deliveries"))
                    .get("data")) {
                if (delivery.get("delivery_status").asText().equals(status)) {
                    found.add(delivery);
                }
            }
            return found.size() == count;
        });
        return found;
    }
}
