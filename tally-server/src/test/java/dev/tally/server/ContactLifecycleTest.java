package dev.tally.server;

import static dev.tally.server.TestingServer.assertError;
import static dev.tally.server.TestingServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contacts complete: update, list, search, and leads merged into users. Subclassed to run on PostgreSQL. */
class ContactLifecycleTest {
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
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> put(String path, String json) {
        return server.send(server.request(path)
                .header("Authorization", "Bearer " + TestingServer.TOKEN)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    private void event(String name, long createdAt, String identity) {
        assertThat(server.post(
                                "/events",
                                "{\"event_name\":\"" + name + "\",\"created_at\":" + createdAt + "," + identity + "}")
                        .statusCode())
                .isEqualTo(202);
    }

    @Test
    void updatingAContactKeepsItsEventsUnderTheNewExternalId() {
        String id = server.createUser("old-ext", "old@example.com");
        event("signed-up", now - 10, "\"user_id\":\"old-ext\"");
        HttpResponse<String> updated =
                put("/contacts/" + id, "{\"external_id\":\"new-ext\",\"email\":\"new@example.com\",\"name\":\"New\"}");
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(json(updated).get("external_id").asText()).isEqualTo("new-ext");
        assertThat(json(updated).get("name").asText()).isEqualTo("New");
        assertThat(json(server.get("/events?type=user&user_id=new-ext")).get("events"))
                .hasSize(1);
        assertError(server.get("/events?type=user&user_id=old-ext"), 404, "not_found");
        server.createUser("taken", "t@example.com");
        assertError(put("/contacts/" + id, "{\"external_id\":\"taken\"}"), 409, "conflict");
    }

    @Test
    void contactsAreListedWithCursorPaging() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(server.createUser("list-" + i, "l" + i + "@example.com"));
        }
        List<String> listed = new ArrayList<>();
        String query = "/contacts?per_page=2";
        while (query != null) {
            JsonNode page = json(server.get(query));
            page.get("data").forEach(contact -> listed.add(contact.get("id").asText()));
            JsonNode next = page.get("pages").get("next");
            query = next.isNull()
                    ? null
                    : "/contacts?per_page=2&starting_after="
                            + next.get("starting_after").asText();
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(created).doesNotHaveDuplicates();
    }

    @Test
    void searchFindsContactsByEmailExternalIdAndRole() {
        server.createUser("s1", "same@example.com");
        server.createUser("s2", "same@example.com");
        server.createLead();
        String byEmail = "{\"query\":{\"field\":\"email\",\"operator\":\"=\",\"value\":\"same@example.com\"}}";
        assertThat(json(server.post("/contacts/search", byEmail)).get("data")).hasSize(2);
        String byExternalId = "{\"query\":{\"field\":\"external_id\",\"operator\":\"=\",\"value\":\"s2\"}}";
        assertThat(json(server.post("/contacts/search", byExternalId))
                        .get("data")
                        .get(0)
                        .get("external_id")
                        .asText())
                .isEqualTo("s2");
        String leads = "{\"query\":{\"field\":\"role\",\"operator\":\"=\",\"value\":\"lead\"}}";
        assertThat(json(server.post("/contacts/search", leads)).get("data")).hasSize(1);
        String both =
                "{\"query\":{\"operator\":\"AND\",\"value\":[{\"field\":\"email\",\"operator\":\"=\",\"value\":\"same@example.com\"},"
                        + "{\"field\":\"external_id\",\"operator\":\"=\",\"value\":\"s1\"}]}}";
        assertThat(json(server.post("/contacts/search", both)).get("data")).hasSize(1);
        assertError(
                server.post("/contacts/search", "{\"query\":{\"field\":\"name\",\"operator\":\"~\",\"value\":\"x\"}}"),
                400,
                "parameter_invalid");
    }

    @Test
    void mergingALeadMovesItsEventsAndSummariesIntoTheUserExactly() {
        String lead = server.createLead();
        String user = server.createUser("merged-user", "m@example.com");
        event("viewed-pricing", now - 30, "\"id\":\"" + lead + "\"");
        event("viewed-pricing", now - 20, "\"id\":\"" + lead + "\"");
        event("signed-up", now - 10, "\"id\":\"" + lead + "\"");
        // The same event on both sides: a duplicate after the merge, counted once.
        event("viewed-pricing", now - 20, "\"user_id\":\"merged-user\"");
        event("placed-order", now - 5, "\"user_id\":\"merged-user\"");

        HttpResponse<String> merged =
                server.post("/contacts/merge", "{\"from\":\"" + lead + "\",\"into\":\"" + user + "\"}");
        assertThat(merged.statusCode()).as(merged.body()).isEqualTo(200);
        assertThat(json(merged).get("id").asText()).isEqualTo(user);

        JsonNode events =
                json(server.get("/events?type=user&user_id=merged-user")).get("events");
        assertThat(events).hasSize(4);
        JsonNode summary = json(server.get("/events?type=user&user_id=merged-user&summary=true"))
                .get("events");
        int pricing = 0;
        for (JsonNode s : summary) {
            if (s.get("name").asText().equals("viewed-pricing")) {
                pricing = s.get("count").asInt();
            }
        }
        assertThat(pricing).isEqualTo(2);

        HttpResponse<String> gone = server.get("/contacts/" + lead);
        assertError(gone, 410, "contact_merged");
        assertThat(gone.headers().firstValue("Link")).contains("</contacts/" + user + ">; rel=\"canonical\"");
        assertError(
                server.post("/events", "{\"event_name\":\"late\",\"created_at\":" + now + ",\"id\":\"" + lead + "\"}"),
                410,
                "contact_merged");
    }

    @Test
    void aMergedLeadAnswersAsTheRequestedIntercomVersionDocuments() {
        String user = server.createUser("versioned-user", "v@example.com");
        String lead = server.createLead();
        assertThat(server.post("/contacts/merge", "{\"from\":\"" + lead + "\",\"into\":\"" + user + "\"}")
                        .statusCode())
                .isEqualTo(200);
        String event = "{\"event_name\":\"late\",\"created_at\":"
                + Instant.now().getEpochSecond() + ",\"id\":\"" + lead + "\"}";

        for (String before216 : List.of("1.4", "2.0", "2.7", "2.15")) {
            HttpResponse<String> notFound =
                    server.send(versioned("/contacts/" + lead, before216).GET().build());
            assertThat(assertError(notFound, 404, "not_found").get("message").asText())
                    .isEqualTo("No such id[" + lead + "]");
            assertThat(notFound.headers().firstValue("Link")).isEmpty();
            assertError(
                    server.send(versioned("/events", before216)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(event))
                            .build()),
                    404,
                    "not_found");
        }
        for (String from216 : List.of("2.16", "Unstable", "Preview")) {
            HttpResponse<String> gone =
                    server.send(versioned("/contacts/" + lead, from216).GET().build());
            assertError(gone, 410, "contact_merged");
            assertThat(gone.headers().firstValue("Link")).contains("</contacts/" + user + ">; rel=\"canonical\"");
            HttpResponse<String> eventGone = server.send(versioned("/events", from216)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(event))
                    .build());
            assertError(eventGone, 410, "contact_merged");
            assertThat(eventGone.headers().firstValue("Link")).contains("</contacts/" + user + ">; rel=\"canonical\"");
        }
        // No header: the newest version.
        assertError(server.get("/contacts/" + lead), 410, "contact_merged");
    }

    private HttpRequest.Builder versioned(String path, String version) {
        return server.request(path)
                .header("Authorization", "Bearer " + TestingServer.TOKEN)
                .header("Intercom-Version", version);
    }

    @Test
    void onlyALeadMergesAndOnlyIntoAUser() {
        String user = server.createUser("a", "a@example.com");
        String other = server.createUser("b", "b@example.com");
        String lead = server.createLead();
        assertError(
                server.post("/contacts/merge", "{\"from\":\"" + user + "\",\"into\":\"" + other + "\"}"),
                400,
                "parameter_invalid");
        assertError(
                server.post("/contacts/merge", "{\"from\":\"" + lead + "\",\"into\":\"" + server.createLead() + "\"}"),
                400,
                "parameter_invalid");
        assertError(server.post("/contacts/merge", "{\"from\":\"" + lead + "\"}"), 400, "parameter_not_found");
    }
}
