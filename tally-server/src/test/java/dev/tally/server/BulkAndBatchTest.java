package dev.tally.server;

import static dev.tally.server.TestingServer.assertError;
import static dev.tally.server.TestingServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The legacy bulk API and Tally's batch endpoint. Subclassed to run on PostgreSQL. */
class BulkAndBatchTest {
    @TempDir
    Path dataDir;

    TestingServer server;
    final long now = Instant.now().getEpochSecond();

    protected dev.tally.server.config.ServerConfig config(Path dir) {
        return TestingServer.config(dir);
    }

    @BeforeEach
    void start() {
        server = TestingServer.start(config(dataDir));
        server.createUser("u1", "u1@example.com");
        server.createUser("u2", "u2@example.com");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String event(String name, long createdAt, String userId) {
        return "{\"event_name\":\"" + name + "\",\"created_at\":" + createdAt + ",\"user_id\":\"" + userId + "\"}";
    }

    private String item(String data) {
        return "{\"method\":\"post\",\"data_type\":\"event\",\"data\":" + data + "}";
    }

    @Test
    void bulkListStoresGoodItemsIgnoresDuplicatesAndKeepsEachFailureWithItsError() {
        String body = "{\"items\":[" + item(event("a", now - 3, "u1")) + "," + item(event("a", now - 3, "u1")) + ","
                + item(event("b", now - 2, "nobody")) + "," + item(event("c", now - 1, "u2")) + ","
                + item("{\"event_name\":\"d\",\"user_id\":\"u1\"}") + "]}";
        HttpResponse<String> response = server.post("/bulk/events", body);
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode job = json(response);
        assertThat(job.get("type").asText()).isEqualTo("job");
        assertThat(job.get("name").asText()).isEqualTo("api_bulk_job");
        assertThat(job.get("app_id").asText()).isNotBlank();
        assertThat(job.get("tasks").get(0).get("item_count").asInt()).isEqualTo(5);
        String jobId = job.get("id").asText();
        assertThat(job.get("links").get("self").asText()).endsWith("/jobs/" + jobId);

        assertThat(json(server.get("/events?type=user&user_id=u1")).get("events"))
                .hasSize(1);
        assertThat(json(server.get("/events?type=user&user_id=u2")).get("events"))
                .hasSize(1);

        JsonNode errors = json(server.get("/jobs/" + jobId + "/error")).get("items");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).get("error").get("code").asText()).isEqualTo("not_found");
        assertThat(errors.get(0).get("data").get("user_id").asText()).isEqualTo("nobody");
        assertThat(errors.get(1).get("error").get("code").asText()).isEqualTo("parameter_not_found");
        assertThat(json(server.get("/jobs/" + jobId)).get("id").asText()).isEqualTo(jobId);
    }

    @Test
    void aJobIdOfTheWrongTypeIsA400NamingItNotANewJob() {
        JsonNode id = assertError(
                server.post("/bulk/events", "{\"items\":[" + item(event("a", now - 5, "u1")) + "],\"job\":{\"id\":5}}"),
                400,
                "parameter_invalid");
        assertThat(id.get("field").asText()).isEqualTo("job.id");
        JsonNode job = assertError(
                server.post("/bulk/events", "{\"items\":[" + item(event("a", now - 5, "u1")) + "],\"job\":\"j\"}"),
                400,
                "parameter_invalid");
        assertThat(job.get("field").asText()).isEqualTo("job");
    }

    @Test
    void aListAppendedToAJobAddsATask() {
        String jobId = json(server.post("/bulk/events", "{\"items\":[" + item(event("a", now - 5, "u1")) + "]}"))
                .get("id")
                .asText();
        HttpResponse<String> appended = server.post(
                "/bulk/events",
                "{\"items\":[" + item(event("b", now - 4, "u1")) + "],\"job\":{\"id\":\"" + jobId + "\"}}");
        assertThat(appended.statusCode()).isEqualTo(202);
        assertThat(json(appended).get("tasks")).hasSize(2);
        assertThat(json(server.get("/events?type=user&user_id=u1")).get("events"))
                .hasSize(2);
        assertError(
                server.post(
                        "/bulk/events",
                        "{\"items\":[" + item(event("c", now, "u1")) + "],\"job\":{\"id\":\"job_nope\"}}"),
                404,
                "not_found");
        assertError(server.get("/jobs/job_nope"), 404, "not_found");
    }

    @Test
    void bulkRejectsItemsThatAreNotEventPosts() {
        JsonNode job = json(server.post(
                "/bulk/events", "{\"items\":[{\"method\":\"delete\",\"data_type\":\"event\",\"data\":{}}]}"));
        JsonNode errors =
                json(server.get("/jobs/" + job.get("id").asText() + "/error")).get("items");
        assertThat(errors.get(0).get("error").get("message").asText()).contains("post");
        assertError(server.post("/bulk/events", "{\"items\":{}}"), 400, "parameter_not_found");
    }

    @Test
    void batchAsJsonArrayAnswersOneResultPerEventAfterOneCommit() {
        String body =
                "[" + event("x", now - 3, "u1") + "," + event("x", now - 3, "u1") + "," + event("y", now - 2, "ghost")
                        + "," + "{\"event_name\":\"z\",\"created_at\":-5,\"user_id\":\"u1\"}" + "]";
        HttpResponse<String> response = server.post("/events/batch", body);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode result = json(response);
        assertThat(result.get("accepted").asInt()).isEqualTo(1);
        assertThat(result.get("duplicates").asInt()).isEqualTo(1);
        assertThat(result.get("rejected").asInt()).isEqualTo(2);
        JsonNode results = result.get("results");
        assertThat(results.get(0).get("status").asText()).isEqualTo("accepted");
        assertThat(results.get(1).get("status").asText()).isEqualTo("duplicate");
        assertThat(results.get(2).get("errors").get(0).get("code").asText()).isEqualTo("not_found");
        assertThat(results.get(2).get("errors").get(0).get("field").asText()).isEqualTo("user_id");
        assertThat(results.get(3).get("errors").get(0).get("field").asText()).isEqualTo("created_at");
    }

    @Test
    void batchAsNdjsonRejectsABrokenLineAlone() {
        String body = event("n1", now - 2, "u1") + "\n{broken\n" + event("n2", now - 1, "u2") + "\n";
        HttpResponse<String> response = server.send(server.request("/events/batch")
                .header("Authorization", "Bearer " + TestingServer.TOKEN)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode result = json(response);
        assertThat(result.get("accepted").asInt()).isEqualTo(2);
        assertThat(result.get("results")
                        .get(1)
                        .get("errors")
                        .get(0)
                        .get("message")
                        .asText())
                .startsWith("line 2");
    }

    @Test
    void batchLargerThanTheDocumentedCountIsRefused() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i <= 1000; i++) {
            body.append(i == 0 ? "" : ",").append(event("e", now - i, "u1"));
        }
        body.append(']');
        assertError(server.post("/events/batch", body.toString()), 400, "parameter_invalid");
    }
}
