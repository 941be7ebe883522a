package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.json.TallyJson;
import dev.tally.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A real Tally server on port 0 with a real HTTP client, for tests. Bootstrapped with {@link
 * #TOKEN} (read+write on workspace {@code default}) and the admin API open with {@link
 * #ADMIN_TOKEN}.
 */
public final class TestingServer implements AutoCloseable {
    public static final String TOKEN = "test-bootstrap-token-0123456789";
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

    private final TallyServer server;
    private final HttpClient client;

    private TestingServer(TallyServer server) {
        this.server = server;
        this.client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** RocksDB in {@code dataDir}, documented defaults, test tokens. */
    public static TestingServer start(Path dataDir) {
        return start(config(dataDir));
    }

    public static ServerConfig config(Path dataDir) {
        return ServerConfig.embedded(0, dataDir).withBootstrapToken(TOKEN).withAdminToken(ADMIN_TOKEN);
    }

    public static TestingServer start(ServerConfig config) {
        return new TestingServer(TallyServer.start(config));
    }

    /** A client for a server the test started itself; closing it stops that server too. */
    public static TestingServer attach(TallyServer server) {
        return new TestingServer(server);
    }

    public static TestingServer start(ServerConfig config, Clock clock) {
        return new TestingServer(TallyServer.start(config, Stores.open(config), clock, token -> {}));
    }

    public TallyServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30));
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return get(pathAndQuery, TOKEN);
    }

    public HttpResponse<String> get(String pathAndQuery, String token) {
        return send(request(pathAndQuery)
                .header("Authorization", "Bearer " + token)
                .GET()
                .build());
    }

    public HttpResponse<String> post(String path, String json) {
        return post(path, json, TOKEN);
    }

    public HttpResponse<String> post(String path, String json, String token) {
        return send(request(path)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    public HttpResponse<String> delete(String path, String token) {
        return send(request(path)
                .header("Authorization", "Bearer " + token)
                .DELETE()
                .build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<byte[]> sendBytes(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a user and returns its Tally id. */
    public String createUser(String externalId, String email) {
        HttpResponse<String> response = post(
                "/contacts", "{\"role\":\"user\",\"external_id\":\"" + externalId + "\",\"email\":\"" + email + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).get("id").asText();
    }

    /** Creates a lead and returns its Tally id. */
    public String createLead() {
        HttpResponse<String> response = post("/contacts", "{\"role\":\"lead\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).get("id").asText();
    }

    /** Creates a workspace through the admin API and returns its first read+write token. */
    public String createWorkspaceToken(String name) {
        HttpResponse<String> response = post("/admin/workspaces", "{\"name\":\"" + name + "\"}", ADMIN_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response).get("access_token").get("token").asText();
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return TallyJson.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /** Asserts the Intercom error shape and returns the first error. */
    public static JsonNode assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.get("type").asText()).isEqualTo("error.list");
        assertThat(body.get("request_id").asText()).isNotBlank();
        assertThat(response.headers().firstValue("X-Request-Id"))
                .contains(body.get("request_id").asText());
        JsonNode error = body.get("errors").get(0);
        assertThat(error.get("code").asText()).as(response.body()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
        return error;
    }

    @Override
    public void close() {
        server.close();
    }
}
