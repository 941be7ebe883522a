package dev.tally.server;

import static dev.tally.server.TestingServer.assertError;
import static dev.tally.server.TestingServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.config.ApiLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorsAndProtocolTest {
    @TempDir
    Path dataDir;

    TestingServer server;
    final long now = Instant.now().getEpochSecond();

    @BeforeEach
    void start() {
        server = TestingServer.start(TestingServer.config(dataDir)
                .withLimits(new ApiLimits(4096, 8192, 15, 150, ApiLimits.DEFAULTS.metadata())));
        server.createUser("u", "u@example.com");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void malformedJsonIsA400ThatSaysWhere() {
        var error = assertError(
                server.post("/events", "{\"event_name\": \"x\", \"created_at\": }"), 400, "parameter_invalid");
        assertThat(error.get("message").asText()).startsWith("invalid JSON").contains("line 1");
        assertError(server.post("/events", "{\"event_name\":"), 400, "parameter_invalid");
        assertError(server.post("/events", ""), 400, "parameter_invalid");
        assertError(server.post("/events", "[1,2]"), 400, "parameter_invalid");
        assertError(server.post("/events", "{\"a\":1}{\"b\":2}"), 400, "parameter_invalid");
    }

    @Test
    void duplicateJsonKeysAreRejectedRatherThanGuessed() {
        var error = assertError(
                server.post(
                        "/events",
                        "{\"event_name\":\"a\",\"event_name\":\"b\",\"created_at\":" + now + ",\"user_id\":\"u\"}"),
                400,
                "parameter_invalid");
        assertThat(error.get("message").asText()).contains("event_name");
    }

    @Test
    void bodiesOverTheLimitAre413() {
        String big = "{\"event_name\":\"x\",\"created_at\":" + now + ",\"user_id\":\"u\",\"metadata\":{\"a\":\""
                + "z".repeat(5000) + "\"}}";
        assertError(server.post("/events", big), 413, "request_too_large");
    }

    @Test
    void unsupportedIntercomVersionIsRejectedAndSupportedOnesAreAccepted() {
        HttpResponse<String> bad = server.send(server.request("/events?type=user&user_id=u")
                .header("Authorization", "Bearer " + TestingServer.TOKEN)
                .header("Intercom-Version", "3.0")
                .GET()
                .build());
        assertError(bad, 400, "intercom_version_invalid");
        for (String version : new String[] {"1.0", "1.4", "2.0", "2.14", "2.16", "Unstable", "Preview"}) {
            HttpResponse<String> ok = server.send(server.request("/events?type=user&user_id=u")
                    .header("Authorization", "Bearer " + TestingServer.TOKEN)
                    .header("Intercom-Version", version)
                    .header("Accept", "application/vnd.intercom.3+json")
                    .GET()
                    .build());
            assertThat(ok.statusCode()).as(version).isEqualTo(200);
        }
    }

    @Test
    void unknownRoutesAndMethodsAnswerWithTheErrorShape() {
        assertError(server.get("/nothing-here"), 404, "not_found");
        HttpResponse<String> put = server.send(server.request("/events")
                .header("Authorization", "Bearer " + TestingServer.TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
        assertError(put, 405, "method_not_allowed");
    }

    @Test
    void repeatedSlashesAreCollapsedAsTheJavaClientNeeds() {
        assertThat(server.get("//events?type=user&user_id=u").statusCode()).isEqualTo(200);
    }

    @Test
    void wrongContentTypeIs415() {
        HttpResponse<String> response = server.send(server.request("/events")
                .header("Authorization", "Bearer " + TestingServer.TOKEN)
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString("<event/>"))
                .build());
        assertError(response, 415, "unsupported_media_type");
    }

    @Test
    void aRefusedRequestWithoutABodyKeepsItsConnection() throws IOException {
        String unauthorized = "GET /events?type=user&user_id=u HTTP/1.1\r\nHost: x\r\n\r\n";
        String unknownRoute = "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((unauthorized + unknownRoute).getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            StringBuilder answers = new StringBuilder();
            byte[] buffer = new byte[8192];
            while (!answers.toString().contains("HTTP/1.1 404")) {
                int read = in.read(buffer);
                if (read < 0) {
                    break;
                }
                answers.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
            }

            assertThat(answers.toString())
                    .as("both pipelined requests are answered on one connection")
                    .contains("HTTP/1.1 401", "HTTP/1.1 404")
                    .doesNotContainIgnoringCase("Connection: close");
        }
    }

    @Test
    void everyResponseCarriesARequestId() {
        HttpResponse<String> ok = server.get("/events?type=user&user_id=u");
        assertThat(ok.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void healthChecksTheStoreWithoutAuthorization() {
        HttpResponse<String> health =
                server.send(server.request("/health").GET().build());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).get("status").asText()).isEqualTo("ok");
    }
}
