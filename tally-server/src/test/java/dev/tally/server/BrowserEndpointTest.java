package dev.tally.server;

import static dev.tally.server.TestingServer.assertError;
import static dev.tally.server.TestingServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.config.BrowserConfig;
import dev.tally.server.config.ServerConfig;
import dev.tally.workspace.IdentitySecret;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The browser endpoint and the widget script over HTTP: CORS, identity verification, limits, retries. */
class BrowserEndpointTest {
    static final String ORIGIN = "https://shop.example.com";

    @TempDir
    Path dataDir;

    TestingServer server;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    String workspaceId;
    String appId;
    IdentitySecret secret;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(ServerConfig config) {
        server = TestingServer.start(config, clock);
        JsonNode workspace = json(server.get("/admin/workspaces", TestingServer.ADMIN_TOKEN))
                .get("data")
                .get(0);
        workspaceId = workspace.get("id").asText();
        appId = workspace.get("app_id").asText();
        secret =
                new IdentitySecret(workspace.get("identity_verification_secret").asText());
        HttpResponse<String> origins = patchWorkspace("{\"allowed_origins\":[\"" + ORIGIN + "/\"]}");
        assertThat(origins.statusCode()).as(origins.body()).isEqualTo(200);
        assertThat(json(origins).get("allowed_origins").get(0).asText()).isEqualTo(ORIGIN);
    }

    /** The configuration a store-specific subclass changes. */
    protected ServerConfig config(Path dir) {
        return TestingServer.config(dir);
    }

    private void start() {
        start(config(dataDir));
    }

    private HttpResponse<String> patchWorkspace(String body) {
        return server.send(server.request("/admin/workspaces/" + workspaceId)
                .header("Authorization", "Bearer " + TestingServer.ADMIN_TOKEN)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private HttpResponse<String> sendBatch(String origin, String body) {
        HttpRequest.Builder request = server.request("/browser/" + appId + "/events")
                .header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return server.send(request.build());
    }

    private String userBatch(String batchId, String userId, String hash, String events) {
        return "{\"batch_id\":\"" + batchId + "\",\"user_id\":\"" + userId + "\",\"email\":\"" + userId
                + "@example.com\",\"user_hash\":\"" + hash + "\",\"events\":[" + events + "]}";
    }

    private JsonNode events(String query) {
        HttpResponse<String> response = server.get("/events?type=user&" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).get("events");
    }

    @Test
    void aVerifiedUsersEventsAreStoredWithTheUserCreatedOnFirstSight() {
        start();
        HttpResponse<String> response = sendBatch(
                ORIGIN,
                userBatch(
                        "batch-0001",
                        "314159",
                        secret.sign("314159").toUpperCase(java.util.Locale.ROOT),
                        "{\"event_name\":\"placed-order\",\"metadata\":{\"price\":{\"amount\":2999,\"currency\":\"usd\"}}}"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains(ORIGIN);
        assertThat(json(response).get("accepted").asInt()).isEqualTo(1);

        JsonNode events = events("user_id=314159");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("event_name").asText()).isEqualTo("placed-order");
        assertThat(events.get(0).get("email").asText()).isEqualTo("314159@example.com");
        assertThat(events.get(0).get("created_at").asLong())
                .isEqualTo(clock.instant().getEpochSecond());
        assertThat(events.get(0).get("metadata").get("price").get("amount").asLong())
                .isEqualTo(2999);
    }

    @Test
    void aWrongOrMissingUserHashStoresNothingAndSaysWhy() {
        start();
        HttpResponse<String> wrong =
                sendBatch(ORIGIN, userBatch("batch-0001", "314159", secret.sign("271828"), "{\"event_name\":\"x\"}"));
        JsonNode error = assertError(wrong, 401, "unauthorized");
        assertThat(error.get("field").asText()).isEqualTo("user_hash");
        assertThat(error.get("message").asText()).contains("HMAC-SHA256");
        assertThat(wrong.headers().firstValue("Access-Control-Allow-Origin")).contains(ORIGIN);

        HttpResponse<String> missing = sendBatch(
                ORIGIN, "{\"batch_id\":\"batch-0002\",\"user_id\":\"314159\",\"events\":[{\"event_name\":\"x\"}]}");
        assertThat(assertError(missing, 401, "unauthorized").get("message").asText())
                .contains("enforced");

        // Nothing stored, and the user was not even created.
        assertError(server.get("/events?type=user&user_id=314159"), 404, "not_found");
    }

    @Test
    void anExistingAndAnUnknownUserGetTheSameAnswerToAWrongHash() {
        start();
        server.createUser("existing", "existing@example.com");
        HttpResponse<String> known =
                sendBatch(ORIGIN, userBatch("batch-0001", "existing", "00", "{\"event_name\":\"x\"}"));
        HttpResponse<String> unknown =
                sendBatch(ORIGIN, userBatch("batch-0002", "unknown", "00", "{\"event_name\":\"x\"}"));
        assertThat(known.statusCode()).isEqualTo(unknown.statusCode()).isEqualTo(401);
        assertThat(json(known).get("errors").get(0).get("message").asText())
                .isEqualTo(json(unknown).get("errors").get(0).get("message").asText());
    }

    @Test
    void withoutEnforcementAMissingHashIsTakenButAWrongOneStillIsNot() {
        start();
        assertThat(patchWorkspace("{\"enforce_identity_verification\":false}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> unsigned = sendBatch(
                ORIGIN, "{\"batch_id\":\"batch-0001\",\"user_id\":\"42\",\"events\":[{\"event_name\":\"signed-up\"}]}");
        assertThat(unsigned.statusCode()).as(unsigned.body()).isEqualTo(200);
        assertThat(events("user_id=42")).hasSize(1);
        assertError(
                sendBatch(ORIGIN, userBatch("batch-0002", "42", "abcd", "{\"event_name\":\"x\"}")),
                401,
                "unauthorized");
    }

    @Test
    void aRotatedSecretInvalidatesTheOldHashes() {
        start();
        String oldHash = secret.sign("314159");
        HttpResponse<String> rotated =
                server.send(server.request("/admin/workspaces/" + workspaceId + "/identity-verification-secret")
                        .header("Authorization", "Bearer " + TestingServer.ADMIN_TOKEN)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build());
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        IdentitySecret fresh = new IdentitySecret(
                json(rotated).get("identity_verification_secret").asText());
        assertThat(fresh.value()).isNotEqualTo(secret.value());
        assertError(sendBatch(ORIGIN, userBatch("batch-0001", "314159", oldHash, "")), 401, "unauthorized");
        assertThat(sendBatch(ORIGIN, userBatch("batch-0002", "314159", fresh.sign("314159"), ""))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void aPageOfAnotherOriginIsRefusedBeforeAnythingIsStored() {
        start();
        HttpResponse<String> response = sendBatch(
                "https://evil.example.net",
                "{\"batch_id\":\"batch-0001\",\"visitor_id\":\"visitor-0001\",\"events\":[{\"event_name\":\"x\"}]}");
        assertError(response, 403, "action_forbidden");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(json(server.get("/contacts")).get("data")).isEmpty();
    }

    @Test
    void preflightsAreAnsweredOnlyForAllowedOrigins() {
        start();
        HttpResponse<String> allowed = server.send(server.request("/browser/" + appId + "/events")
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(allowed.statusCode()).isEqualTo(204);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains(ORIGIN);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods")).contains("POST");

        HttpResponse<String> refused = server.send(server.request("/browser/" + appId + "/events")
                .header("Origin", "https://evil.example.net")
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void anUnknownAppIdIs404ForTheScriptAndTheEndpoint() {
        start();
        assertError(server.get("/widget/zzzz9999"), 404, "not_found");
        assertError(
                server.send(server.request("/browser/zzzz9999/events")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build()),
                404,
                "not_found");
    }

    @Test
    void aRetriedBatchIsStoredOnceEvenInALaterSecond() {
        start();
        String batch = userBatch("batch-0001", "7", secret.sign("7"), "{\"event_name\":\"clicked\"}");
        assertThat(sendBatch(ORIGIN, batch).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(5));
        HttpResponse<String> retry = sendBatch(ORIGIN, batch);
        assertThat(json(retry).get("duplicates").asInt()).isEqualTo(1);
        assertThat(events("user_id=7")).hasSize(1);
    }

    @Test
    void twoRealEventsOfOneNameInOneSecondAreBothKept() {
        start();
        String hash = secret.sign("7");
        assertThat(json(sendBatch(
                                ORIGIN,
                                userBatch(
                                        "batch-0001",
                                        "7",
                                        hash,
                                        "{\"event_name\":\"clicked\"},{\"event_name\":\"clicked\"}")))
                        .get("accepted")
                        .asInt())
                .isEqualTo(2);
        // Another batch in the same second, with the same name: moved to the next free second.
        assertThat(json(sendBatch(ORIGIN, userBatch("batch-0002", "7", hash, "{\"event_name\":\"clicked\"}")))
                        .get("accepted")
                        .asInt())
                .isEqualTo(1);
        assertThat(events("user_id=7")).hasSize(3);
        // And its retry finds the second it was moved to.
        assertThat(json(sendBatch(ORIGIN, userBatch("batch-0002", "7", hash, "{\"event_name\":\"clicked\"}")))
                        .get("duplicates")
                        .asInt())
                .isEqualTo(1);
        assertThat(events("user_id=7")).hasSize(3);
    }

    @Test
    void eventsAreValidatedAsPostEventsValidatesThem() {
        start();
        HttpResponse<String> response = sendBatch(
                ORIGIN,
                userBatch(
                        "batch-0001",
                        "7",
                        secret.sign("7"),
                        "{\"event_name\":\"ok\"},{\"event_name\":\"\"},{\"event_name\":\"bad\",\"metadata\":{\"a\":[1]}}"));
        JsonNode answer = json(response);
        assertThat(answer.get("accepted").asInt()).isEqualTo(1);
        assertThat(answer.get("rejected").asInt()).isEqualTo(2);
        assertThat(answer.get("results")
                        .get(1)
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asText())
                .isEqualTo("event_name");
        assertThat(answer.get("results").get(2).get("errors").get(0).get("code").asText())
                .isEqualTo("parameter_invalid");
    }

    @Test
    void anAnonymousVisitorsLeadIsMergedIntoTheUserItBootsAs() {
        start();
        String visitor = "visitor-0123456789";
        assertThat(sendBatch(
                                ORIGIN,
                                "{\"batch_id\":\"batch-0001\",\"visitor_id\":\"" + visitor
                                        + "\",\"events\":[{\"event_name\":\"viewed-pricing\"}]}")
                        .statusCode())
                .isEqualTo(200);
        JsonNode lead = json(server.get("/contacts")).get("data").get(0);
        assertThat(lead.get("role").asText()).isEqualTo("lead");
        assertThat(lead.get("external_id").asText()).isEqualTo(visitor);
        assertThat(events("intercom_user_id=" + lead.get("id").asText())).hasSize(1);

        String identify = "{\"batch_id\":\"batch-0002\",\"visitor_id\":\"" + visitor
                + "\",\"user_id\":\"314159\",\"user_hash\":\"" + secret.sign("314159") + "\",\"events\":[]}";
        assertThat(sendBatch(ORIGIN, identify).statusCode()).isEqualTo(200);
        assertThat(events("user_id=314159").get(0).get("event_name").asText()).isEqualTo("viewed-pricing");
        assertError(server.get("/contacts/" + lead.get("id").asText()), 410, "contact_merged");
    }

    @Test
    void aVisitorWithoutEventsMakesNoLead() {
        start();
        HttpResponse<String> response =
                sendBatch(ORIGIN, "{\"batch_id\":\"batch-0001\",\"visitor_id\":\"visitor-0001\",\"events\":[]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(server.get("/contacts")).get("data")).isEmpty();
    }

    @Test
    void eachClientAddressHasItsOwnLimit() {
        start(config(dataDir).withBrowser(new BrowserConfig(0, 6)));
        String batch = "{\"batch_id\":\"batch-0001\",\"visitor_id\":\"visitor-0001\",\"events\":[]}";
        assertThat(sendBatch(ORIGIN, batch).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = sendBatch(ORIGIN, batch);
        assertError(limited, 429, "rate_limit_exceeded");
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(limited.headers().firstValue("Access-Control-Allow-Origin")).contains(ORIGIN);
        clock.advance(Duration.ofSeconds(10));
        assertThat(sendBatch(ORIGIN, batch).statusCode()).isEqualTo(200);
    }

    @Test
    void eachAppHasItsOwnLimit() {
        start(config(dataDir).withBrowser(new BrowserConfig(12, 0)));
        String batch = "{\"batch_id\":\"batch-0001\",\"visitor_id\":\"visitor-0001\",\"events\":[]}";
        assertThat(sendBatch(ORIGIN, batch).statusCode()).isEqualTo(200);
        assertThat(sendBatch(ORIGIN, batch).statusCode()).isEqualTo(200);
        assertError(sendBatch(ORIGIN, batch), 429, "rate_limit_exceeded");
    }

    @Test
    void theScriptIsSmallCacheableAndFreeOfEval() throws IOException {
        start();
        HttpResponse<byte[]> gzipped = server.sendBytes(server.request("/widget/" + appId)
                .header("Accept-Encoding", "gzip")
                .GET()
                .build());
        assertThat(gzipped.statusCode()).isEqualTo(200);
        assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(gzipped.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
        assertThat(gzipped.body().length).as("gzipped script bytes").isLessThanOrEqualTo(6 * 1024);
        assertThat(gzipped.headers().firstValue("Cache-Control"))
                .hasValueSatisfying(value -> assertThat(value).contains("max-age="));
        String etag = gzipped.headers().firstValue("ETag").orElseThrow();

        String script;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(script).contains("trackEvent").doesNotContain("eval(").doesNotContain("new Function");
        assertThat(script).doesNotContainPattern("set(Timeout|Interval)\\(\\s*['\"]");

        HttpResponse<byte[]> revalidated = server.sendBytes(server.request("/widget/" + appId)
                .header("If-None-Match", etag)
                .GET()
                .build());
        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(revalidated.body()).isEmpty();
    }

    @Test
    void theAdminApiShowsTheSecretButAWorkspaceFormattedForALogDoesNot() {
        start();
        JsonNode shown = json(server.get("/admin/workspaces/" + workspaceId, TestingServer.ADMIN_TOKEN));
        assertThat(shown.get("identity_verification_secret").asText()).isEqualTo(secret.value());
        assertThat(shown.get("enforce_identity_verification").asBoolean()).isTrue();
        // A log line that formats a workspace (or its settings) shows everything but the secret.
        Workspace workspace = server.server()
                .store()
                .findWorkspace(new WorkspaceId(workspaceId))
                .orElseThrow();
        assertThat(workspace.toString()).contains(appId).doesNotContain(secret.value());
    }
}
