package dev.tally.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.json.TallyJson;
import dev.tally.server.TestingServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tally admin …} drives the admin API of a running server. */
class AdminCommandTest {
    @TempDir
    Path dir;

    /** Runs {@code tally admin --url … args}, with the admin token in a stand-in environment. */
    private static String run(TestingServer server, String token, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        String[] full = new String[args.length + 3];
        full[0] = "admin";
        full[1] = "--url";
        full[2] = "http://127.0.0.1:" + server.port();
        System.arraycopy(args, 0, full, 3, args.length);
        Map<String, String> environment = Map.of("TALLY_ADMIN_TOKEN", token);
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == AdminCommand.class) {
                    return type.cast(new AdminCommand(environment::get));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new Main(), factory).execute(full);
            assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
        } finally {
            System.setOut(previous);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void createsAWorkspaceIssuesAndRevokesTokensAndSetsItsRateLimit() throws Exception {
        try (TestingServer server = TestingServer.start(dir)) {
            JsonNode created =
                    TallyJson.mapper().readTree(run(server, TestingServer.ADMIN_TOKEN, "create-workspace", "acme"));
            String workspace = created.get("workspace").get("id").asText();
            String firstToken = created.get("access_token").get("token").asText();
            assertThat(server.post("/contacts", "{\"external_id\":\"x\"}", firstToken)
                            .statusCode())
                    .isEqualTo(200);

            JsonNode readOnly = TallyJson.mapper()
                    .readTree(run(
                            server,
                            TestingServer.ADMIN_TOKEN,
                            "create-token",
                            workspace,
                            "--scopes",
                            "read",
                            "--label",
                            "dashboard"));
            assertThat(readOnly.get("scopes")).extracting(JsonNode::asText).containsExactly("read");
            String readOnlyToken = readOnly.get("token").asText();
            assertThat(server.post("/contacts", "{\"external_id\":\"y\"}", readOnlyToken)
                            .statusCode())
                    .isEqualTo(403);

            assertThat(run(server, TestingServer.ADMIN_TOKEN, "tokens", workspace))
                    .contains("dashboard")
                    .doesNotContain(readOnlyToken);
            run(
                    server,
                    TestingServer.ADMIN_TOKEN,
                    "revoke-token",
                    workspace,
                    readOnly.get("id").asText());
            assertThat(server.get("/contacts/find_by_external_id/x", readOnlyToken)
                            .statusCode())
                    .isEqualTo(401);

            JsonNode limited = TallyJson.mapper()
                    .readTree(run(server, TestingServer.ADMIN_TOKEN, "set-rate-limit", workspace, "off"));
            assertThat(limited.get("rate_limit_per_minute").asLong()).isZero();
            assertThat(run(server, TestingServer.ADMIN_TOKEN, "workspaces"))
                    .contains("acme")
                    .contains("default");
        }
    }

    @Test
    void showsAWorkspacesBrowserSettingsAndSetsOriginsVerificationAndTheSecret() throws Exception {
        try (TestingServer server = TestingServer.start(dir)) {
            String workspace = TallyJson.mapper()
                    .readTree(run(server, TestingServer.ADMIN_TOKEN, "create-workspace", "shop"))
                    .get("workspace")
                    .get("id")
                    .asText();
            JsonNode shown =
                    TallyJson.mapper().readTree(run(server, TestingServer.ADMIN_TOKEN, "workspace", workspace));
            assertThat(shown.get("app_id").asText()).matches("[a-z0-9]{8}");
            String secret = shown.get("identity_verification_secret").asText();
            assertThat(secret).hasSize(64);
            assertThat(shown.get("enforce_identity_verification").asBoolean()).isTrue();

            JsonNode origins = TallyJson.mapper()
                    .readTree(run(
                            server,
                            TestingServer.ADMIN_TOKEN,
                            "set-origins",
                            workspace,
                            "https://shop.example.com/",
                            "http://localhost:3000"));
            assertThat(origins.get("allowed_origins").toString())
                    .isEqualTo("[\"https://shop.example.com\",\"http://localhost:3000\"]");
            JsonNode off = TallyJson.mapper()
                    .readTree(run(server, TestingServer.ADMIN_TOKEN, "set-identity-verification", workspace, "off"));
            assertThat(off.get("enforce_identity_verification").asBoolean()).isFalse();
            JsonNode rotated = TallyJson.mapper()
                    .readTree(run(server, TestingServer.ADMIN_TOKEN, "rotate-identity-secret", workspace));
            assertThat(rotated.get("identity_verification_secret").asText())
                    .hasSize(64)
                    .isNotEqualTo(secret);
            assertThat(rotated.get("app_id").asText())
                    .isEqualTo(shown.get("app_id").asText());
        }
    }
}
