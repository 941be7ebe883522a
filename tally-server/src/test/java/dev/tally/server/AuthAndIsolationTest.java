package dev.tally.server;

import static dev.tally.server.TestingServer.assertError;
import static dev.tally.server.TestingServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthAndIsolationTest {
    @TempDir
    Path dataDir;

    TestingServer server;
    final long now = Instant.now().getEpochSecond();

    @BeforeEach
    void start() {
        server = TestingServer.start(dataDir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void requestWithoutAuthorizationIsMissingAuthorization() {
        HttpResponse<String> response =
                server.send(server.request("/events?type=user&user_id=x").GET().build());
        assertError(response, 401, "missing_authorization");
    }

    @Test
    void unknownTokenIsUnauthorized() {
        JsonNode error =
                assertError(server.get("/events?type=user&user_id=x", "not-a-real-token"), 401, "unauthorized");
        assertThat(error.get("message").asText()).isEqualTo("Access Token Invalid");
    }

    @Test
    void basicAuthorizationWithTheTokenAsUserNameIsAccepted() {
        server.createUser("basic", "basic@example.com");
        String basic = Base64.getEncoder().encodeToString((TestingServer.TOKEN + ":").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = server.send(server.request("/events?type=user&user_id=basic")
                .header("Authorization", "Basic " + basic)
                .GET()
                .build());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void readOnlyTokenCannotPostEvents() {
        String workspace = defaultWorkspaceId();
        HttpResponse<String> created = server.post(
                "/admin/workspaces/" + workspace + "/tokens",
                "{\"scopes\":[\"read\"],\"label\":\"dashboard\"}",
                TestingServer.ADMIN_TOKEN);
        assertThat(created.statusCode()).isEqualTo(201);
        String readOnly = json(created).get("token").asText();
        server.createUser("ro", "ro@example.com");

        assertError(
                server.post(
                        "/events", "{\"event_name\":\"x\",\"created_at\":" + now + ",\"user_id\":\"ro\"}", readOnly),
                403,
                "token_unauthorized");
        assertThat(server.get("/events?type=user&user_id=ro", readOnly).statusCode())
                .isEqualTo(200);
    }

    @Test
    void revokedTokenIsRefused() {
        String workspace = defaultWorkspaceId();
        JsonNode created =
                json(server.post("/admin/workspaces/" + workspace + "/tokens", "{}", TestingServer.ADMIN_TOKEN));
        String secret = created.get("token").asText();
        server.createUser("rv", "rv@example.com");
        assertThat(server.get("/events?type=user&user_id=rv", secret).statusCode())
                .isEqualTo(200);

        HttpResponse<String> revoked = server.delete(
                "/admin/workspaces/" + workspace + "/tokens/"
                        + created.get("id").asText(),
                TestingServer.ADMIN_TOKEN);
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(json(revoked).get("revoked_at").isNumber()).isTrue();
        assertError(server.get("/events?type=user&user_id=rv", secret), 401, "token_revoked");
    }

    @Test
    void tokenOfOneWorkspaceNeverSeesOrChangesAnother() {
        String otherToken = server.createWorkspaceToken("other");
        String contactId = server.createUser("shared-external-id", "a@example.com");
        server.post(
                "/events", "{\"event_name\":\"mine\",\"created_at\":" + now + ",\"user_id\":\"shared-external-id\"}");

        assertError(server.get("/contacts/" + contactId, otherToken), 404, "not_found");
        assertError(server.get("/contacts/find_by_external_id/shared-external-id", otherToken), 404, "not_found");
        assertError(server.get("/events?type=user&intercom_user_id=" + contactId, otherToken), 404, "not_found");
        assertError(server.get("/events?type=user&user_id=shared-external-id", otherToken), 404, "not_found");
        assertError(
                server.post(
                        "/events",
                        "{\"event_name\":\"theirs\",\"created_at\":" + now + ",\"id\":\"" + contactId + "\"}",
                        otherToken),
                404,
                "not_found");
        assertError(server.delete("/contacts/" + contactId, otherToken), 404, "not_found");

        assertError(
                server.send(server.request("/contacts/" + contactId)
                        .header("Authorization", "Bearer " + otherToken)
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"stolen\"}"))
                        .build()),
                404,
                "not_found");
        assertError(
                server.post(
                        "/events/summaries",
                        "{\"id\":\"" + contactId
                                + "\",\"event_summaries\":{\"event_name\":\"x\",\"count\":1,\"first\":1,\"last\":1}}",
                        otherToken),
                404,
                "not_found");
        assertError(
                server.post(
                        "/contacts/merge",
                        "{\"from\":\"" + contactId + "\",\"into\":\"" + contactId + "\"}",
                        otherToken),
                404,
                "not_found");
        assertThat(json(server.post(
                                "/contacts/search",
                                "{\"query\":{\"field\":\"external_id\",\"operator\":\"=\",\"value\":\"shared-external-id\"}}",
                                otherToken))
                        .get("data"))
                .isEmpty();
        assertThat(json(server.get("/contacts", otherToken)).get("data")).isEmpty();
        assertThat(server.get("/events/export", otherToken).body()).isEmpty();
        assertError(server.get("/events/export?intercom_user_id=" + contactId, otherToken), 404, "not_found");
        JsonNode batch = json(server.post(
                "/events/batch",
                "[{\"event_name\":\"b\",\"created_at\":" + now + ",\"id\":\"" + contactId + "\"}]",
                otherToken));
        assertThat(batch.get("rejected").asInt()).isEqualTo(1);
        String jobId = json(server.post(
                        "/bulk/events",
                        "{\"items\":[{\"method\":\"post\",\"data_type\":\"event\",\"data\":{\"event_name\":\"j\",\"created_at\":"
                                + now + ",\"user_id\":\"shared-external-id\"}}]}"))
                .get("id")
                .asText();
        assertError(server.get("/jobs/" + jobId, otherToken), 404, "not_found");
        assertError(server.get("/jobs/" + jobId + "/error", otherToken), 404, "not_found");
        assertThat(json(server.get("/events?type=user&user_id=shared-external-id"))
                        .get("events"))
                .hasSize(2);

        // The same external id in the other workspace is a different contact with its own events.
        HttpResponse<String> theirContact = server.post(
                "/contacts", "{\"external_id\":\"shared-external-id\",\"email\":\"b@example.com\"}", otherToken);
        assertThat(theirContact.statusCode()).isEqualTo(200);
        assertThat(json(server.get("/events?type=user&user_id=shared-external-id", otherToken))
                        .get("events"))
                .isEmpty();
        assertThat(json(server.get("/events?type=user&user_id=shared-external-id"))
                        .get("events"))
                .hasSize(2);
        assertThat(json(server.get("/contacts/" + contactId)).get("name").isNull())
                .isTrue();
    }

    @Test
    void adminFieldsOfTheWrongTypeAreA400NamingThem() {
        String workspace = defaultWorkspaceId();
        JsonNode label = assertError(
                server.post("/admin/workspaces/" + workspace + "/tokens", "{\"label\":5}", TestingServer.ADMIN_TOKEN),
                400,
                "parameter_invalid");
        assertThat(label.get("field").asText()).isEqualTo("label");
        JsonNode token = assertError(
                server.post("/admin/workspaces", "{\"name\":\"w\",\"token\":\"no\"}", TestingServer.ADMIN_TOKEN),
                400,
                "parameter_invalid");
        assertThat(token.get("field").asText()).isEqualTo("token");
    }

    @Test
    void adminApiNeedsTheAdminToken() {
        assertError(server.get("/admin/workspaces", TestingServer.TOKEN), 401, "unauthorized");
        assertError(server.send(server.request("/admin/workspaces").GET().build()), 401, "missing_authorization");
        assertThat(server.get("/admin/workspaces", TestingServer.ADMIN_TOKEN).statusCode())
                .isEqualTo(200);
    }

    @Test
    void adminApiIsClosedWhenNoAdminTokenIsConfigured(@TempDir Path otherDir) {
        try (TestingServer closed = TestingServer.start(
                dev.tally.server.config.ServerConfig.embedded(0, otherDir).withBootstrapToken(TestingServer.TOKEN))) {
            JsonNode error =
                    assertError(closed.get("/admin/workspaces", TestingServer.ADMIN_TOKEN), 403, "action_forbidden");
            assertThat(error.get("message").asText()).contains("TALLY_ADMIN_TOKEN");
        }
    }

    @Test
    void adminCreatesWorkspacesAndListsTokensWithoutSecrets() {
        String token = server.createWorkspaceToken("acme");
        JsonNode workspaces =
                json(server.get("/admin/workspaces", TestingServer.ADMIN_TOKEN)).get("data");
        assertThat(workspaces).extracting(w -> w.get("name").asText()).contains("default", "acme");
        String acme = null;
        for (JsonNode w : workspaces) {
            if (w.get("name").asText().equals("acme")) {
                acme = w.get("id").asText();
            }
        }
        HttpResponse<String> tokens = server.get("/admin/workspaces/" + acme + "/tokens", TestingServer.ADMIN_TOKEN);
        assertThat(tokens.statusCode()).isEqualTo(200);
        assertThat(tokens.body()).doesNotContain(token);
        assertThat(json(tokens).get("data").get(0).get("scopes"))
                .extracting(JsonNode::asText)
                .containsExactly("read", "write");
        // The new workspace's token works on the API.
        assertThat(server.post("/contacts", "{\"external_id\":\"x\"}", token).statusCode())
                .isEqualTo(200);
    }

    @Test
    void bootstrapTokenSurvivesRestartAndIsNotReplaced() {
        server.createUser("persist", "p@example.com");
        server.close();
        server = TestingServer.start(dataDir);
        assertThat(server.get("/contacts/find_by_external_id/persist").statusCode())
                .isEqualTo(200);
        assertThat(json(server.get("/admin/workspaces", TestingServer.ADMIN_TOKEN))
                        .get("data"))
                .hasSize(1);
    }

    private String defaultWorkspaceId() {
        return json(server.get("/admin/workspaces", TestingServer.ADMIN_TOKEN))
                .get("data")
                .get(0)
                .get("id")
                .asText();
    }
}
