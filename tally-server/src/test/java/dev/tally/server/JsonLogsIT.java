package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.json.TallyJson;
import dev.tally.testing.process.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code TALLY_LOG_FORMAT=json}: the packaged server writes one JSON object per line, the access log too. */
class JsonLogsIT {
    @TempDir
    Path dataDir;

    @Test
    void everyLogLineIsOneJsonObjectWithTheRequestId() throws Exception {
        String requestId;
        List<String> output;
        try (ServerProcess server = ServerProcess.start(
                        dataDir, TestingServer.TOKEN, Map.of("TALLY_LOG_FORMAT", "json", "TALLY_ACCESS_LOG", "INFO"));
                HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/contacts"))
                            .header("Authorization", "Bearer " + TestingServer.TOKEN)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"external_id\":\"json-logs\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(server.terminate()).isIn(0, 143);
            output = server.output();
        }
        List<JsonNode> records = new ArrayList<>();
        for (String line : output) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode record = TallyJson.mapper().readTree(line);
            assertThat(record.isObject()).as(line).isTrue();
            records.add(record);
        }
        assertThat(records)
                .anySatisfy(r -> assertThat(r.get("formattedMessage").asText()).startsWith("Tally listening on port"));
        assertThat(records).anySatisfy(r -> {
            assertThat(r.get("loggerName").asText()).isEqualTo("tally.access");
            assertThat(r.get("level").asText()).isEqualTo("INFO");
            assertThat(r.get("mdc").get("request_id").asText()).isEqualTo(requestId);
            assertThat(r.get("formattedMessage").asText()).contains("path=/contacts", "status=200");
        });
    }
}
