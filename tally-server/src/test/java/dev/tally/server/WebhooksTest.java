package dev.tally.server;

import static dev.tally.server.TestingServer.assertError;
import static dev.tally.server.TestingServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.TestingReceiver.Answer;
import dev.tally.server.config.WebhookConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks end to end: a real server, a real receiver on loopback, and the wire as Intercom's.
 * Subclassed to run on PostgreSQL.
 */
class WebhooksTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    static final WebhookConfig FAST = WebhookConfig.DEFAULT
            .withAllowPrivate(true)
            .withRetrySchedule(List.of(Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofMillis(200)));

    @TempDir
    Path dataDir;

    private TestingServer server;
    private TestingReceiver receiver;
    private final long now = Instant.now().getEpochSecond();

    /** The configuration a store-specific subclass changes. */
    protected dev.tally.server.config.ServerConfig config(Path dir) {
        return TestingServer.config(dir);
    }

    @BeforeEach
    void start() {
        server = TestingServer.start(config(dataDir).withWebhooks(FAST));
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
    void aSubscriptionIsCreatedListedReadAndDeletedInIntercomsShape() {
        HttpResponse<String> created = server.post("/subscriptions", subscriptionBody(receiver.url(), "Placed.Order"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonNode subscription = json(created);
        assertThat(subscription.get("type").asText()).isEqualTo("notification_subscription");
        assertThat(subscription.get("id").asText()).startsWith("nsub_");
        assertThat(subscription.get("service_type").asText()).isEqualTo("web");
        assertThat(subscription.get("topics").toString()).isEqualTo("[\"event.created\"]");
        assertThat(subscription.get("url").asText()).isEqualTo(receiver.url());
        assertThat(subscription.get("metadata").get("event_names").toString()).isEqualTo("[\"placed-order\"]");
        assertThat(subscription.get("hub_secret").asText()).matches("[0-9a-f]{48}");
        assertThat(subscription.get("active").asBoolean()).isTrue();
        String id = subscription.get("id").asText();

        JsonNode list = json(server.get("/subscriptions"));
        assertThat(list.get("type").asText()).isEqualTo("notification_subscription.list");
        assertThat(list.get("items")).singleElement().isEqualTo(subscription);
        assertThat(json(server.get("/subscriptions/" + id))).isEqualTo(subscription);

        HttpResponse<String> deleted = server.delete("/subscriptions/" + id, TestingServer.TOKEN);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).get("id").asText()).isEqualTo(id);
        assertError(server.get("/subscriptions/" + id), 404, "not_found");
        assertThat(json(server.get("/subscriptions")).get("items")).isEmpty();
    }

    @Test
    void anEventIsNotifiedSignedTwiceWithTheEventAsGetEventsListsIt() throws Exception {
        JsonNode subscription = subscribe("placed-order");
        String hubSecret = subscription.get("hub_secret").asText();
        server.createUser("314159", "frodo@example.com");
        assertThat(server.post("/events", event("placed-order", now, "314159", ",\"metadata\":{\"sku\":\"ring\"}"))
                        .statusCode())
                .isEqualTo(202);

        TestingReceiver.Received request = receiver.await(1, WAIT).getFirst();

        // Intercom's signature, checked here from the raw bytes, independently of Tally's code.
        Mac sha1 = Mac.getInstance("HmacSHA1");
        sha1.init(new SecretKeySpec(hubSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        assertThat(request.header("X-Hub-Signature"))
                .isEqualTo("sha1=" + HexFormat.of().formatHex(sha1.doFinal(request.body())));
        // Standard Webhooks: v1,base64(HMAC-SHA256(base64-decoded secret, id.timestamp.body)).
        String webhookId = request.header("webhook-id");
        String timestamp = request.header("webhook-timestamp");
        Mac sha256 = Mac.getInstance("HmacSHA256");
        sha256.init(new SecretKeySpec(Base64.getDecoder().decode(hubSecret), "HmacSHA256"));
        byte[] signed = (webhookId + "." + timestamp + "." + new String(request.body(), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        assertThat(request.header("webhook-signature"))
                .isEqualTo("v1," + Base64.getEncoder().encodeToString(sha256.doFinal(signed)));
        assertThat(Long.parseLong(timestamp)).isBetween(now - 5, Instant.now().getEpochSecond() + 5);
        assertThat(request.header("Content-Type")).startsWith("application/json");

        JsonNode body = request.json();
        assertThat(body.get("type").asText()).isEqualTo("notification_event");
        assertThat(body.get("id").asText()).startsWith("notif_").isEqualTo(webhookId);
        assertThat(body.get("topic").asText()).isEqualTo("event.created");
        assertThat(body.get("delivery_attempts").asInt()).isEqualTo(1);
        assertThat(body.get("first_sent_at").asLong()).isEqualTo(Long.parseLong(timestamp));
        assertThat(body.get("data").get("type").asText()).isEqualTo("notification_event_data");
        JsonNode listed = json(server.get("/events?type=user&user_id=314159"))
                .get("events")
                .get(0);
        assertThat(body.get("data").get("item")).isEqualTo(listed);
        assertThat(body.get("app_id").asText()).isNotBlank();
        assertThat(body.has("links") && body.has("self") && body.has("delivered_at"))
                .isTrue();

        // And the delivery is on record.
        JsonNode delivery = awaitDelivery(subscription.get("id").asText(), webhookId, "delivered");
        assertThat(delivery.get("delivery_attempts").asInt()).isEqualTo(1);
        assertThat(delivery.get("last_response_code").asInt()).isEqualTo(200);
        assertThat(delivery.get("event_name").asText()).isEqualTo("placed-order");
    }

    @Test
    void aDuplicateEventAndAnotherEventNameProduceNoNotification() {
        JsonNode subscription = subscribe("placed-order");
        server.createUser("u1", "u1@example.com");
        server.post("/events", event("placed-order", now, "u1", ""));
        server.post("/events", event("placed-order", now, "u1", ""));
        server.post("/events", event("signed-up", now, "u1", ""));
        server.post("/events", event("placed-order", now + 1, "u1", ""));

        receiver.await(2, WAIT);
        JsonNode deliveries =
                json(server.get("/subscriptions/" + subscription.get("id").asText() + "/deliveries"));
        assertThat(deliveries.get("data")).hasSize(2);
        List<Long> createdAts = new ArrayList<>();
        receiver.received()
                .forEach(r -> createdAts.add(
                        r.json().get("data").get("item").get("created_at").asLong()));
        assertThat(createdAts).containsExactlyInAnyOrder(now, now + 1);
    }

    @Test
    void aReceiverFailingTwiceGetsTheSameNotificationAgainUntilItAccepts() {
        receiver.respondWith(number -> Answer.of(number <= 2 ? 500 : 204));
        JsonNode subscription = subscribe("placed-order");
        server.createUser("u1", "u1@example.com");
        server.post("/events", event("placed-order", now, "u1", ""));

        List<TestingReceiver.Received> attempts = receiver.await(3, WAIT);
        assertThat(attempts)
                .extracting(TestingReceiver.Received::notificationId)
                .containsOnly(attempts.getFirst().notificationId());
        assertThat(attempts)
                .extracting(r -> r.header("webhook-id"))
                .containsOnly(attempts.getFirst().notificationId());
        assertThat(attempts)
                .extracting(r -> r.json().get("delivery_attempts").asInt())
                .containsExactly(1, 2, 3);

        String id = subscription.get("id").asText();
        JsonNode delivery = awaitDelivery(id, attempts.getFirst().notificationId(), "delivered");
        assertThat(delivery.get("delivery_attempts").asInt()).isEqualTo(3);
        assertThat(delivery.get("last_response_code").asInt()).isEqualTo(204);
        assertThat(delivery.get("next_attempt_at").isNull()).isTrue();
        // A ping goes through the same endpoint after it: by then no fourth attempt was made.
        assertThat(server.post("/subscriptions/" + id + "/ping", "").statusCode())
                .isEqualTo(200);
        assertThat(receiver.received())
                .filteredOn(r -> r.notificationId().equals(attempts.getFirst().notificationId()))
                .hasSize(3);
        assertThat(json(server.get("/subscriptions/" + id)).get("active").asBoolean())
                .isTrue();
    }

    @Test
    void aNotificationThatUsedUpItsRetriesHasFailedAndCanBeSentAgain() {
        receiver.respondWith(number -> Answer.of(503));
        JsonNode subscription = subscribe("placed-order");
        String id = subscription.get("id").asText();
        server.createUser("u1", "u1@example.com");
        server.post("/events", event("placed-order", now, "u1", ""));

        List<TestingReceiver.Received> attempts = receiver.await(4, WAIT);
        String notification = attempts.getFirst().notificationId();
        JsonNode failed = awaitDelivery(id, notification, "failed");
        assertThat(failed.get("delivery_attempts").asInt()).isEqualTo(4);
        assertThat(failed.get("last_response_code").asInt()).isEqualTo(503);
        assertThat(failed.get("last_response").asText()).isEqualTo("answer 503");

        receiver.respondWith(number -> Answer.of(200));
        HttpResponse<String> resent =
                server.post("/subscriptions/" + id + "/deliveries/" + notification + "/resend", "");
        assertThat(resent.statusCode()).as(resent.body()).isEqualTo(202);
        assertThat(json(resent).get("delivery_status").asText()).isEqualTo("pending");

        List<TestingReceiver.Received> all = receiver.await(5, WAIT);
        assertThat(all.getLast().notificationId()).isEqualTo(notification);
        assertThat(all.getLast().json().get("delivery_attempts").asInt()).isEqualTo(5);
        assertThat(awaitDelivery(id, notification, "delivered")
                        .get("delivery_attempts")
                        .asInt())
                .isEqualTo(5);
        assertError(
                server.post("/subscriptions/" + id + "/deliveries/notif_000000000000aaaaaaaaaaaaaaaa/resend", ""),
                404,
                "not_found");
    }

    @Test
    void retryAfterOfA429IsHonoured() {
        receiver.respondWith(number -> number == 1 ? new Answer(429, Map.of("Retry-After", "3")) : Answer.of(200));
        JsonNode subscription = subscribe("placed-order");
        server.createUser("u1", "u1@example.com");
        server.post("/events", event("placed-order", now, "u1", ""));

        List<TestingReceiver.Received> attempts = receiver.await(2, WAIT);
        assertThat(Duration.between(attempts.get(0).at(), attempts.get(1).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(2_500));
        awaitDelivery(subscription.get("id").asText(), attempts.getFirst().notificationId(), "delivered");
    }

    @Test
    void a410DeactivatesTheSubscriptionAndASuccessfulPingActivatesIt() {
        receiver.respondWith(number -> Answer.of(410));
        JsonNode subscription = subscribe("placed-order");
        String id = subscription.get("id").asText();
        server.createUser("u1", "u1@example.com");
        server.post("/events", event("placed-order", now, "u1", ""));

        String notification = receiver.await(1, WAIT).getFirst().notificationId();
        assertThat(awaitDelivery(id, notification, "failed")
                        .get("delivery_attempts")
                        .asInt())
                .isEqualTo(1);
        JsonNode inactive = json(server.get("/subscriptions/" + id));
        assertThat(inactive.get("active").asBoolean()).isFalse();
        assertThat(inactive.get("inactive_reason").asText()).contains("410");

        // While inactive, events queue nothing for it.
        server.post("/events", event("placed-order", now + 1, "u1", ""));
        assertThat(json(server.get("/subscriptions/" + id + "/deliveries")).get("data"))
                .hasSize(1);

        receiver.respondWith(number -> Answer.of(200));
        HttpResponse<String> ping = server.post("/subscriptions/" + id + "/ping", "");
        assertThat(ping.statusCode()).as(ping.body()).isEqualTo(200);
        assertThat(json(ping).get("topic").asText()).isEqualTo("ping");
        assertThat(json(ping).get("delivery_status").asText()).isEqualTo("delivered");
        assertThat(receiver.received()
                        .getLast()
                        .json()
                        .get("data")
                        .get("item")
                        .get("type")
                        .asText())
                .isEqualTo("ping");
        assertThat(json(server.get("/subscriptions/" + id)).get("active").asBoolean())
                .isTrue();

        server.post("/events", event("placed-order", now + 2, "u1", ""));
        assertThat(receiver.await(3, WAIT)
                        .getLast()
                        .json()
                        .get("data")
                        .get("item")
                        .get("created_at")
                        .asLong())
                .isEqualTo(now + 2);
    }

    @Test
    void aWorkspaceNeitherSeesNorIsNotifiedOfAnothersSubscriptions() {
        JsonNode subscription = subscribe("placed-order");
        String id = subscription.get("id").asText();
        String other = server.createWorkspaceToken("globex");
        server.post("/contacts", "{\"role\":\"user\",\"external_id\":\"g1\"}", other);
        assertThat(server.post("/events", event("placed-order", now, "g1", ""), other)
                        .statusCode())
                .isEqualTo(202);

        assertError(server.get("/subscriptions/" + id, other), 404, "not_found");
        assertError(server.delete("/subscriptions/" + id, other), 404, "not_found");
        assertError(server.post("/subscriptions/" + id + "/ping", "", other), 404, "not_found");
        assertThat(json(server.get("/subscriptions", other)).get("items")).isEmpty();
        assertThat(json(server.get("/subscriptions/" + id + "/deliveries")).get("data"))
                .isEmpty();
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void aReadTokenReadsWithoutTheSecretAndCannotChangeAnything() {
        JsonNode subscription = subscribe("placed-order");
        String id = subscription.get("id").asText();
        String workspace = json(server.get("/admin/workspaces", TestingServer.ADMIN_TOKEN))
                .get("data")
                .get(0)
                .get("id")
                .asText();
        String readOnly = json(server.post(
                        "/admin/workspaces/" + workspace + "/tokens",
                        "{\"scopes\":[\"read\"],\"label\":\"dashboard\"}",
                        TestingServer.ADMIN_TOKEN))
                .get("token")
                .asText();

        JsonNode read = json(server.get("/subscriptions/" + id, readOnly));
        assertThat(read.get("hub_secret").isNull()).isTrue();
        assertThat(json(server.get("/subscriptions/" + id + "/deliveries", readOnly))
                        .get("type")
                        .asText())
                .isEqualTo("notification.list");
        assertError(
                server.post("/subscriptions", subscriptionBody(receiver.url(), "x"), readOnly),
                403,
                "token_unauthorized");
        assertError(server.delete("/subscriptions/" + id, readOnly), 403, "token_unauthorized");
        assertError(server.post("/subscriptions/" + id + "/ping", "", readOnly), 403, "token_unauthorized");
    }

    @Test
    void badSubscriptionsAreRefusedNamingTheField() {
        assertThat(assertError(
                                server.post(
                                        "/subscriptions",
                                        "{\"topics\":[\"event.created\"],\"metadata\":{\"event_names\":[\"a\"]}}"),
                                400,
                                "parameter_not_found")
                        .get("field")
                        .asText())
                .isEqualTo("url");
        assertThat(assertError(
                                server.post("/subscriptions", subscriptionBody(receiver.url(), (String[]) null)),
                                400,
                                "parameter_not_found")
                        .get("field")
                        .asText())
                .isEqualTo("metadata.event_names");
        assertThat(assertError(
                                server.post(
                                        "/subscriptions",
                                        "{\"topics\":[\"contact.created\"],\"url\":\"" + receiver.url()
                                                + "\",\"metadata\":{\"event_names\":[\"a\"]}}"),
                                400,
                                "parameter_invalid")
                        .get("field")
                        .asText())
                .isEqualTo("topics");
        assertThat(assertError(
                                server.post("/subscriptions", subscriptionBody("ftp://example.com/x", "a")),
                                400,
                                "parameter_invalid")
                        .get("field")
                        .asText())
                .isEqualTo("url");
        assertThat(assertError(
                                server.post("/subscriptions", subscriptionBody("https://user:pw@example.com/x", "a")),
                                400,
                                "parameter_invalid")
                        .get("field")
                        .asText())
                .isEqualTo("url");
        String withSegment = subscriptionBody(receiver.url(), "a").replaceFirst("\\{", "{\"segment_id\":\"seg_1\",");
        assertThat(assertError(server.post("/subscriptions", withSegment), 400, "parameter_invalid")
                        .get("field")
                        .asText())
                .isEqualTo("segment_id");
        assertThat(json(server.get("/subscriptions")).get("items"))
                .as("a refused subscription is not stored")
                .isEmpty();
    }

    @Test
    void aSubscriptionToAPrivateAddressIsRefusedWithoutTheSetting(@TempDir Path otherDir) {
        try (TestingServer strict = TestingServer.start(config(otherDir))) {
            for (String url : List.of(
                    receiver.url(),
                    "https://127.0.0.1/hooks",
                    "https://localhost/hooks",
                    "https://10.1.2.3/hooks",
                    "https://192.168.0.10/hooks",
                    "https://169.254.169.254/latest/meta-data",
                    "https://[::1]/hooks",
                    "https://[::ffff:10.0.0.1]/hooks",
                    "https://[fd00:ec2::254]/hooks",
                    "https://0.0.0.0/hooks",
                    "http://example.com/hooks")) {
                HttpResponse<String> refused = strict.post("/subscriptions", subscriptionBody(url, "placed-order"));
                assertThat(assertError(refused, 400, "parameter_invalid")
                                .get("field")
                                .asText())
                        .as(url)
                        .isEqualTo("url");
            }
            assertThat(json(strict.get("/subscriptions")).get("items")).isEmpty();
        }
    }

    @Test
    void aDeadEndpointNeitherSlowsIngestNorAnotherEndpoint(@TempDir Path otherDir) throws Exception {
        java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        try (TestingServer timing =
                        TestingServer.start(config(otherDir).withWebhooks(FAST.withTimeout(Duration.ofSeconds(1))));
                TestingReceiver dead = TestingReceiver.start(number -> {
                    try {
                        released.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Answer.of(200);
                })) {
            HttpResponse<String> deadSubscription =
                    timing.post("/subscriptions", subscriptionBody(dead.url(), "placed-order"));
            assertThat(timing.post("/subscriptions", subscriptionBody(receiver.url(), "placed-order"))
                            .statusCode())
                    .isEqualTo(200);
            timing.createUser("u1", "u1@example.com");

            int events = 100;
            for (int i = 0; i < events; i++) {
                assertThat(timing.post("/events", event("placed-order", now + i, "u1", ""))
                                .statusCode())
                        .isEqualTo(202);
            }
            // Every notification reached the live endpoint while the dead one held its slots.
            assertThat(receiver.await(events, WAIT))
                    .extracting(r ->
                            r.json().get("data").get("item").get("created_at").asLong())
                    .doesNotHaveDuplicates()
                    .hasSize(events);
            String deadId = json(deadSubscription).get("id").asText();
            TestingReceiver.awaitCondition("a timed-out attempt on record", WAIT, () -> {
                JsonNode data = json(timing.get("/subscriptions/" + deadId + "/deliveries?per_page=100"))
                        .get("data");
                for (JsonNode delivery : data) {
                    if (delivery.get("last_response").asText("").startsWith("no answer within 1.0 s")) {
                        return true;
                    }
                }
                return false;
            });
            assertThat(timing.post("/events", event("placed-order", now + events, "u1", ""))
                            .statusCode())
                    .isEqualTo(202);
        } finally {
            released.countDown();
        }
    }

    @Test
    void aSlowEndpointHasAtMostItsSlotsOfRequestsOpenAtOnce() {
        java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        receiver.respondWith(number -> {
            most.accumulateAndGet(open.incrementAndGet(), Math::max);
            try {
                Thread.sleep(150); // a slow receiver, not a timing of the test
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            open.decrementAndGet();
            return Answer.of(200);
        });
        subscribe("placed-order");
        server.createUser("u1", "u1@example.com");
        for (int i = 0; i < 24; i++) {
            server.post("/events", event("placed-order", now + i, "u1", ""));
        }
        receiver.await(24, WAIT);
        assertThat(most.get()).isBetween(1, WebhookConfig.DEFAULT.concurrencyPerEndpoint());
    }

    // ---- helpers

    private JsonNode subscribe(String... names) {
        HttpResponse<String> created = server.post("/subscriptions", subscriptionBody(receiver.url(), names));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        return json(created);
    }

    static String subscriptionBody(String url, String... names) {
        String list = names == null
                ? ""
                : ",\"metadata\":{\"event_names\":["
                        + String.join(
                                ",",
                                java.util.Arrays.stream(names)
                                        .map(n -> "\"" + n + "\"")
                                        .toList())
                        + "]}";
        return "{\"service_type\":\"web\",\"topics\":[\"event.created\"],\"url\":\"" + url + "\"" + list + "}";
    }

    static String event(String name, long createdAt, String userId, String more) {
        return "{\"event_name\":\"" + name + "\",\"created_at\":" + createdAt + ",\"user_id\":\"" + userId + "\"" + more
                + "}";
    }

    private JsonNode awaitDelivery(String subscription, String notification, String status) {
        JsonNode[] found = new JsonNode[1];
        TestingReceiver.awaitCondition(notification + " " + status, WAIT, () -> {
            HttpResponse<String> response =
                    server.get("/subscriptions/" + subscription + "/deliveries/" + notification);
            if (response.statusCode() != 200) {
                return false;
            }
            found[0] = json(response);
            return found[0].get("delivery_status").asText().equals(status);
        });
        return found[0];
    }
}
