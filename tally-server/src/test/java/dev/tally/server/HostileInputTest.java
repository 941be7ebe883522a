package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.json.TallyJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever a client sends, the answer is a 4xx with the {@code error.list} body (or a 2xx when it
 * happens to be valid), never a 5xx, never a hang, and the server keeps serving.
 */
class HostileInputTest {
    private static Path dataDir;
    private static TestingServer server;
    private static final long NOW = Instant.now().getEpochSecond();

    @BeforeContainer
    static void start() throws IOException {
        dataDir = Files.createTempDirectory("tally-hostile");
        server = TestingServer.start(
                TestingServer.config(dataDir).withRateLimit(dev.tally.server.config.RateLimitConfig.OFF));
        server.createUser("u", "u@example.com");
    }

    @AfterContainer
    static void stop() {
        assertThat(server.send(server.request("/health").GET().build()).statusCode())
                .isEqualTo(200);
        server.close();
    }

    private static void assertHandled(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isLessThan(500);
        if (response.statusCode() >= 400) {
            JsonNode body;
            try {
                body = TallyJson.mapper().readTree(response.body());
            } catch (IOException e) {
                throw new AssertionError("error body is not JSON: " + response.body(), e);
            }
            assertThat(body.get("type").asText()).isEqualTo("error.list");
            assertThat(body.get("errors").get(0).get("code").asText()).isNotBlank();
        }
    }

    @Property(tries = 300)
    void arbitraryTextAsAnEventBodyIsAnsweredCleanly(@ForAll String body) {
        assertHandled(server.post("/events", body));
    }

    @Property(tries = 300)
    void everyEndpointAnswersArbitraryBodiesCleanly(
            @ForAll("endpoints") String endpoint, @ForAll("bodies") String body) {
        String[] parts = endpoint.split(" ", 2);
        String token = parts[1].startsWith("/admin") ? TestingServer.ADMIN_TOKEN : TestingServer.TOKEN;
        assertHandled(server.send(server.request(parts[1])
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(parts[0], HttpRequest.BodyPublishers.ofString(body))
                .build()));
    }

    @Provide
    Arbitrary<String> endpoints() {
        return Arbitraries.of(
                "POST /events",
                "POST /events/batch",
                "POST /events/summaries",
                "POST /bulk/events",
                "POST /contacts",
                "PUT /contacts/0123456789abcdef01234567",
                "POST /contacts/search",
                "POST /contacts/merge",
                "POST /admin/workspaces",
                "PATCH /admin/workspaces/nope",
                "POST /admin/workspaces/nope/tokens",
                "GET /jobs/x",
                "GET /events/export?limit=-1",
                "DELETE /contacts/x",
                "POST /segments",
                "PUT /segments/x",
                "GET /segments/x?include_count=true",
                "POST /events/catalog/x/archive",
                "GET /contacts/x/segments",
                "GET /health");
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                jsonValues(),
                jsonValues()
                        .map(v -> "{\"items\":" + v + ",\"query\":" + v + ",\"from\":" + v + ",\"into\":" + v + "}"),
                jsonValues()
                        .map(v -> "{\"name\":\"n\",\"query\":{\"operator\":\"OR\",\"value\":[{\"field\":" + v
                                + ",\"operator\":\"=\",\"value\":" + v + "}]},\"pagination\":" + v + "}"),
                jsonValues().map(v -> "[" + v + "," + v + "]"),
                jsonValues()
                        .map(v -> "{\"name\":" + v + ",\"scopes\":" + v + ",\"rate_limit_per_minute\":" + v
                                + ",\"user_id\":" + v + ",\"event_summaries\":" + v + ",\"external_id\":" + v
                                + ",\"email\":" + v + ",\"role\":" + v + "}"));
    }

    @Property(tries = 200)
    void arbitraryBytesIncludingInvalidUtf8AreAnsweredCleanly(@ForAll byte[] body) {
        assertHandled(server.send(server.request("/events")
                .header("Authorization", "Bearer " + TestingServer.TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build()));
    }

    @Property(tries = 400)
    void eventsWithFieldsOfEveryWrongTypeAreAnsweredCleanly(
            @ForAll("jsonValues") String name,
            @ForAll("jsonValues") String createdAt,
            @ForAll("jsonValues") String userId,
            @ForAll("jsonValues") String metadata) {
        String body = "{\"event_name\":" + name + ",\"created_at\":" + createdAt + ",\"user_id\":" + userId
                + ",\"metadata\":" + metadata + "}";
        assertHandled(server.post("/events", body));
    }

    @Property(tries = 300)
    void metadataOfEveryShapeIsTypedOrRejectedCleanly(@ForAll("keys") String key, @ForAll("jsonValues") String value) {
        String body = "{\"event_name\":\"m\",\"created_at\":" + NOW + ",\"user_id\":\"u\",\"metadata\":{" + quote(key)
                + ":" + value + "}}";
        assertHandled(server.post("/events", body));
    }

    @Property(tries = 300)
    void oddQueryStringsAreAnsweredCleanly(@ForAll("queryParts") String name, @ForAll("queryParts") String value) {
        String query = "/events?type=user&" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8) + "&user_id=u&summary="
                + URLEncoder.encode(value, StandardCharsets.UTF_8);
        assertHandled(server.get(query));
    }

    @Property(tries = 200)
    void oddHeaderValuesAreAnsweredCleanly(
            @ForAll("headerValues") String authorization,
            @ForAll("headerValues") String version,
            @ForAll("headerValues") String contentType) {
        assertHandled(server.send(server.request("/events")
                .header("Authorization", authorization)
                .header("Intercom-Version", version)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"event_name\":\"h\",\"created_at\":" + NOW + ",\"user_id\":\"u\"}"))
                .build()));
    }

    @Property(tries = 100)
    void oddPathsAreAnsweredCleanly(@ForAll("queryParts") String segment) {
        assertHandled(server.get("/contacts/" + URLEncoder.encode(segment, StandardCharsets.UTF_8)));
        assertHandled(
                server.get("/contacts/find_by_external_id/" + URLEncoder.encode(segment, StandardCharsets.UTF_8)));
    }

    @Example
    void deepNestingIsRejected() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertHandled(server.post(
                "/events",
                "{\"event_name\":\"x\",\"created_at\":1,\"user_id\":\"u\",\"metadata\":{\"a\":" + deep + "}}"));
        assertThat(server.post("/events", deep).statusCode()).isIn(400, 413);
    }

    @Example
    void hugeAndNegativeNumbersAreRejected() {
        for (String number :
                new String[] {"1e999999", "-1", "99999999999999999999999999999", "1.5", "NaN", "Infinity"}) {
            HttpResponse<String> response =
                    server.post("/events", "{\"event_name\":\"n\",\"created_at\":" + number + ",\"user_id\":\"u\"}");
            assertHandled(response);
            assertThat(response.statusCode()).as(number).isEqualTo(400);
        }
        assertHandled(server.post(
                "/events",
                "{\"event_name\":\"n\",\"created_at\":" + NOW + ",\"user_id\":\"u\",\"metadata\":{\"x\":1"
                        + "0".repeat(5000) + "}}"));
    }

    @Example
    void veryLongNamesAndNulBytesAreRejected() {
        assertThat(server.post(
                                "/events",
                                "{\"event_name\":\"" + "n".repeat(300) + "\",\"created_at\":" + NOW
                                        + ",\"user_id\":\"u\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(server.post("/events", "{\"event_name\":\"a\\u0000b\",\"created_at\":" + NOW + ",\"user_id\":\"u\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(server.post(
                                "/events",
                                "{\"event_name\":\"a\",\"created_at\":" + NOW
                                        + ",\"user_id\":\"u\",\"metadata\":{\"s\":\"x\\u0000y\"}}")
                        .statusCode())
                .isEqualTo(400);
    }

    @Example
    void requestsRefusedBeforeTheirBodyIsReadDoNotBreakTheNextRequestOnTheConnection() {
        String body = "{\"event_name\":\"x\",\"created_at\":" + NOW + ",\"user_id\":\"u\"}";
        for (int i = 0; i < 100; i++) {
            assertHandled(server.post("/events", body, "wrong-token"));
            assertHandled(server.send(server.request("/events")
                    .header("Authorization", "Bearer " + TestingServer.TOKEN)
                    .header("Intercom-Version", "9.9")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build()));
            assertThat(server.get("/events?type=user&user_id=u").statusCode()).isEqualTo(200);
        }
    }

    @Example
    void unknownFieldsAreIgnored() {
        assertThat(server.post(
                                "/events",
                                "{\"event_name\":\"extra\",\"created_at\":" + NOW
                                        + ",\"user_id\":\"u\",\"type\":\"event\",\"whatever\":[1,{}]}")
                        .statusCode())
                .isEqualTo(202);
    }

    @Example
    void repeatedAuthorizationHeadersAreRejected() {
        HttpResponse<String> response = server.send(server.request("/events?type=user&user_id=u")
                .header("Authorization", "Bearer " + TestingServer.TOKEN)
                .header("Authorization", "Bearer other")
                .GET()
                .build());
        assertHandled(response);
        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Example
    void malformedHttpGetsTheErrorShapeFromTheServerItself() throws IOException {
        for (String raw : new String[] {
            "GET /events?type=user&user_id=%zz HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /events HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
            "GET /events HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n",
            "BLAH\r\n\r\n"
        }) {
            String response = rawExchange(raw);
            assertThat(response)
                    .as(raw.substring(0, Math.min(60, raw.length())))
                    .startsWith("HTTP/1.1 4");
            if (response.contains("\r\n\r\n") && !response.endsWith("\r\n\r\n")) {
                assertThat(response).contains("error.list");
            }
        }
    }

    private static String rawExchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65536];
            int read = in.read(buffer);
            return read <= 0 ? "" : new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
        }
    }

    @Provide
    Arbitrary<String> jsonValues() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(300).map(HostileInputTest::quote),
                Arbitraries.longs().map(Object::toString),
                Arbitraries.bigDecimals().map(Object::toString),
                Arbitraries.of(
                        "true",
                        "false",
                        "null",
                        "[]",
                        "{}",
                        "[1,\"a\"]",
                        "{\"url\":1,\"value\":2}",
                        "{\"amount\":-1,\"currency\":\"usd\"}",
                        "{\"amount\":1.5,\"currency\":\"usd\"}",
                        "{\"amount\":1,\"currency\":\"zzz\"}",
                        "{\"a\":{\"b\":{}}}",
                        "1e400",
                        "-0",
                        "\"\\u0000\"",
                        "\"https://\"",
                        "\"http://ok.example/x\"",
                        "{\"url\":\"javascript:alert(1)\",\"value\":\"x\"}",
                        "99999999999999999999999"));
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(300),
                Arbitraries.of("order_date", "created_at", "stripe_invoice", "price", "", " ", "a.b", "$x", "x_at"));
    }

    @Provide
    Arbitrary<String> queryParts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(100),
                Arbitraries.of(
                        "per_page",
                        "cursor",
                        "summary",
                        "intercom_user_id",
                        "email",
                        "type",
                        "-1",
                        "99999999999",
                        "",
                        "true"));
    }

    @Provide
    Arbitrary<String> headerValues() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(200),
                Arbitraries.of(
                        "Bearer",
                        "Basic",
                        "Basic !!!",
                        "Bearer " + TestingServer.TOKEN,
                        "2.14",
                        "9.9",
                        "application/json",
                        "text/html",
                        ";;;"));
    }

    private static String quote(String text) {
        try {
            return TallyJson.mapper().writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
