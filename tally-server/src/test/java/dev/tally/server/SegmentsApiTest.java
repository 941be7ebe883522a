package dev.tally.server;

import static dev.tally.server.TestingServer.assertError;
import static dev.tally.server.TestingServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event catalog, archiving, contact search on every field and saved segments, over HTTP against
 * the real server with a clock the test moves. Subclassed to run on PostgreSQL.
 */
class SegmentsApiTest {
    private static final long DAY = 86_400;
    private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

    @TempDir
    Path dataDir;

    TestingServer server;
    MutableClock clock;
    final long now = START.getEpochSecond();

    protected dev.tally.server.config.ServerConfig config(Path dir) {
        return TestingServer.config(dir);
    }

    @BeforeEach
    void start() {
        clock = new MutableClock(START);
        server = TestingServer.start(config(dataDir), clock);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void event(String userId, String name, long createdAt, String metadata) {
        HttpResponse<String> response = server.post(
                "/events",
                "{\"event_name\":\"" + name + "\",\"created_at\":" + createdAt + ",\"user_id\":\"" + userId
                        + "\",\"metadata\":" + metadata + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    private HttpResponse<String> put(String path, String json) {
        return server.send(server.request(path)
                .header("Authorization", "Bearer " + TestingServer.TOKEN)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    private HttpResponse<String> search(String query) {
        return server.post("/contacts/search", "{\"query\":" + query + "}");
    }

    private List<String> externalIds(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json(response)
                .get("data")
                .forEach(contact -> ids.add(contact.get("external_id").asText()));
        return ids;
    }

    private String readToken() {
        String workspace = json(server.get("/admin/workspaces", TestingServer.ADMIN_TOKEN))
                .get("data")
                .get(0)
                .get("id")
                .asText();
        HttpResponse<String> created = server.post(
                "/admin/workspaces/" + workspace + "/tokens", "{\"scopes\":[\"read\"]}", TestingServer.ADMIN_TOKEN);
        assertThat(created.statusCode()).isEqualTo(201);
        return json(created).get("token").asText();
    }

    @Test
    void theCatalogCountsEventsContactsAndKeyTypesAndIsReadWithAReadToken() {
        server.createUser("u1", "u1@example.com");
        server.createUser("u2", "u2@example.com");
        event("u1", "placed-order", now - 100, "{\"price\":{\"amount\":100,\"currency\":\"usd\"},\"item\":\"book\"}");
        event("u1", "placed-order", now - 100, "{}");
        event("u2", "placed-order", now - 50, "{\"price\":12}");

        HttpResponse<String> response = server.get("/events/catalog", readToken());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode entry = json(response).get("data").get(0);
        assertThat(entry.get("event_name").asText()).isEqualTo("placed-order");
        assertThat(entry.get("count").asLong()).isEqualTo(2);
        assertThat(entry.get("contacts").asLong()).isEqualTo(2);
        assertThat(entry.get("first_seen_at").asLong()).isEqualTo(now - 100);
        assertThat(entry.get("last_seen_at").asLong()).isEqualTo(now - 50);
        assertThat(entry.get("archived").asBoolean()).isFalse();
        assertThat(entry.get("metadata").toString())
                .isEqualTo(
                        "[{\"key\":\"price\",\"types\":[\"number\",\"money\"]},{\"key\":\"item\",\"types\":[\"string\"]}]");
        assertThat(json(server.get("/events/catalog/Placed.Order")).get("count").asLong())
                .isEqualTo(2);
        assertError(server.get("/events/catalog/never-sent"), 404, "not_found");
    }

    @Test
    void archivingNeedsAWriteTokenHidesTheNameAndKeepsCountingNewEvents() {
        server.createUser("u1", "u1@example.com");
        event("u1", "old-name", now - 10, "{}");
        String readOnly = readToken();

        assertError(server.post("/events/catalog/old-name/archive", "{}", readOnly), 403, "token_unauthorized");
        HttpResponse<String> archived = server.post("/events/catalog/old-name/archive", "{}");
        assertThat(archived.statusCode()).as(archived.body()).isEqualTo(200);
        assertThat(json(archived).get("archived").asBoolean()).isTrue();
        assertThat(json(server.get("/events/catalog")).get("data")).isEmpty();
        assertThat(json(server.get("/events/catalog?include_archived=true")).get("data"))
                .hasSize(1);

        // A new event under the archived name is accepted, stored and counted; the name stays archived.
        event("u1", "old-name", now - 5, "{}");
        JsonNode entry = json(server.get("/events/catalog/old-name"));
        assertThat(entry.get("count").asLong()).isEqualTo(2);
        assertThat(entry.get("archived").asBoolean()).isTrue();
        assertThat(json(server.get("/events?type=user&user_id=u1")).get("events"))
                .hasSize(2);

        // It cannot be used in a new segment; a search may still name it.
        HttpResponse<String> refused = server.post(
                "/segments",
                "{\"name\":\"old\",\"query\":{\"field\":\"events.old-name.count\",\"operator\":\">\",\"value\":0}}");
        assertThat(assertError(refused, 400, "parameter_invalid").get("field").asText())
                .isEqualTo("query");
        assertThat(externalIds(search("{\"field\":\"events.old-name.count\",\"operator\":\"=\",\"value\":2}")))
                .containsExactly("u1");

        assertThat(json(server.post("/events/catalog/old-name/unarchive", "{}"))
                        .get("archived")
                        .asBoolean())
                .isFalse();
        assertThat(json(server.get("/events/catalog")).get("data")).hasSize(1);
        assertError(server.post("/events/catalog/never-sent/archive", "{}"), 404, "not_found");
    }

    @Test
    void searchCombinesEventsWithContactFieldsAndHasNotDoneIsCountZero() {
        server.createUser("alice", "alice@example.com");
        server.createUser("bob", "bob@shop.io");
        server.createUser("carol", "carol@example.com");
        for (int i = 0; i < 4; i++) {
            event("alice", "placed-order", now - DAY * (40 - i), "{}");
        }
        event("bob", "placed-order", now - DAY, "{}");

        String moreThanThreeLastWithin30Days = "{\"operator\":\"AND\",\"value\":["
                + "{\"field\":\"events.placed-order.count\",\"operator\":\">\",\"value\":3},"
                + "{\"field\":\"events.placed-order.last\",\"operator\":\">\",\"value\":{\"days_ago\":30}}]}";
        assertThat(externalIds(search(moreThanThreeLastWithin30Days))).isEmpty();
        String moreThanThreeLastWithin40Days = moreThanThreeLastWithin30Days.replace("30", "40");
        assertThat(externalIds(search(moreThanThreeLastWithin40Days))).containsExactly("alice");

        assertThat(externalIds(search("{\"field\":\"events.placed-order.count\",\"operator\":\"=\",\"value\":0}")))
                .containsExactly("carol");
        String nested = "{\"operator\":\"OR\",\"value\":["
                + "{\"field\":\"email\",\"operator\":\"$\",\"value\":\"@shop.io\"},"
                + "{\"operator\":\"AND\",\"value\":[{\"field\":\"events.placed-order.count\",\"operator\":\"NIN\",\"value\":[1,4]},"
                + "{\"field\":\"created_at\",\"operator\":\">\",\"value\":" + (now - 1) + "}]}]}";
        assertThat(externalIds(search(nested))).containsExactlyInAnyOrder("bob", "carol");
        assertThat(externalIds(search("{\"field\":\"name\",\"operator\":\"=\",\"value\":null}")))
                .hasSize(3);
    }

    @Test
    void searchPagesWithTotalCountAndIntercomsPagesObject() {
        for (int i = 0; i < 5; i++) {
            server.createUser("p" + i, "p" + i + "@example.com");
        }
        String query = "{\"query\":{\"field\":\"email\",\"operator\":\"~\",\"value\":\"EXAMPLE\"},"
                + "\"pagination\":{\"per_page\":2}}";
        JsonNode first = json(server.post("/contacts/search", query));
        assertThat(first.get("total_count").asLong()).isEqualTo(5);
        assertThat(first.get("data")).hasSize(2);
        JsonNode pages = first.get("pages");
        assertThat(pages.get("type").asText()).isEqualTo("pages");
        assertThat(pages.get("page").asLong()).isEqualTo(1);
        assertThat(pages.get("per_page").asLong()).isEqualTo(2);
        assertThat(pages.get("total_pages").asLong()).isEqualTo(3);
        assertThat(pages.get("next").get("page").asLong()).isEqualTo(2);

        List<String> seen = new ArrayList<>();
        JsonNode page = first;
        while (true) {
            page.get("data").forEach(contact -> seen.add(contact.get("id").asText()));
            if (page.get("pages").get("next").isNull()) {
                break;
            }
            String after = page.get("pages").get("next").get("starting_after").asText();
            page = json(server.post(
                    "/contacts/search",
                    query.replace("\"per_page\":2", "\"per_page\":2,\"starting_after\":\"" + after + "\"")));
            assertThat(page.get("total_count").asLong()).isEqualTo(5);
        }
        assertThat(seen).hasSize(5).doesNotHaveDuplicates().isSorted();
        assertThat(page.get("pages").get("page").asLong()).isEqualTo(3);
    }

    @Test
    void intercomsExampleWithADigitStringDateAndSortIsAnsweredInContactIdOrder() {
        for (int i = 0; i < 3; i++) {
            server.createUser("s" + i, "s" + i + "@sorted.example");
        }
        String query = "{\"query\":{\"operator\":\"AND\",\"value\":[{\"field\":\"created_at\",\"operator\":\">\","
                + "\"value\":\"1306054154\"},{\"field\":\"email\",\"operator\":\"$\",\"value\":\"@sorted.example\"}]},"
                + "\"sort\":{\"field\":\"created_at\",\"order\":\"%s\"},\"pagination\":{\"per_page\":5}}";
        for (String order : List.of("ascending", "descending")) {
            HttpResponse<String> answer = server.post("/contacts/search", query.formatted(order));
            assertThat(externalIds(answer)).containsExactlyInAnyOrder("s0", "s1", "s2");
            List<String> ids = new ArrayList<>();
            json(answer)
                    .get("data")
                    .forEach(contact -> ids.add(contact.get("id").asText()));
            assertThat(ids).as("sort is checked, not applied (docs/api.md)").isSorted();
        }
        assertThat(assertError(server.post("/contacts/search", query.formatted("desc")), 400, "parameter_invalid")
                        .get("field")
                        .asText())
                .isEqualTo("sort.order");
        assertThat(assertError(
                                server.post(
                                        "/contacts/search",
                                        query.formatted("ascending")
                                                .replace(
                                                        "\"field\":\"created_at\",\"order\"",
                                                        "\"field\":\"shoe_size\",\"order\"")),
                                400,
                                "parameter_invalid")
                        .get("field")
                        .asText())
                .isEqualTo("sort.field");
    }

    @Test
    void badQueriesAreA400NamingThePart() {
        assertThat(assertError(
                                search("{\"field\":\"phone\",\"operator\":\"=\",\"value\":\"1\"}"),
                                400,
                                "parameter_invalid")
                        .get("field")
                        .asText())
                .isEqualTo("query.field");
        assertThat(assertError(
                                search(
                                        "{\"operator\":\"AND\",\"value\":[{\"field\":\"email\",\"operator\":\"=\",\"value\":\"a\"},"
                                                + "{\"field\":\"created_at\",\"operator\":\"~\",\"value\":1}]}"),
                                400,
                                "parameter_invalid")
                        .get("field")
                        .asText())
                .isEqualTo("query.value[1].operator");
        assertThat(assertError(
                                search("{\"field\":\"events.x.count\",\"operator\":\"IN\",\"value\":[1,\"two\"]}"),
                                400,
                                "parameter_invalid")
                        .get("field")
                        .asText())
                .isEqualTo("query.value[1]");
        String threeLevels = "{\"operator\":\"AND\",\"value\":[{\"operator\":\"OR\",\"value\":[{\"operator\":\"AND\","
                + "\"value\":[{\"field\":\"email\",\"operator\":\"=\",\"value\":\"a\"}]}]}]}";
        assertThat(assertError(search(threeLevels), 400, "parameter_invalid")
                        .get("field")
                        .asText())
                .isEqualTo("query.value[0].value[0]");
        StringBuilder sixteen = new StringBuilder("{\"operator\":\"OR\",\"value\":[");
        for (int i = 0; i < 16; i++) {
            sixteen.append(i == 0 ? "" : ",").append("{\"field\":\"email\",\"operator\":\"=\",\"value\":\"a\"}");
        }
        assertThat(assertError(search(sixteen + "]}"), 400, "parameter_invalid")
                        .get("field")
                        .asText())
                .isEqualTo("query.value");
        assertError(server.post("/contacts/search", "{}"), 400, "parameter_not_found");
        assertThat(assertError(
                                search("{\"field\":\"segment_id\",\"operator\":\"=\",\"value\":\"nope\"}"),
                                400,
                                "parameter_invalid")
                        .get("field")
                        .asText())
                .isEqualTo("query");
    }

    @Test
    void aSavedSegmentCountsListsAndMovesWithTime() {
        String alice = server.createUser("alice", "alice@example.com");
        String bob = server.createUser("bob", "bob@example.com");
        event("alice", "placed-order", now - DAY, "{}");
        event("bob", "placed-order", now - 5 * DAY, "{}");
        HttpResponse<String> created = server.post(
                "/segments",
                "{\"name\":\"Recent buyers\",\"query\":{\"operator\":\"AND\",\"value\":["
                        + "{\"field\":\"role\",\"operator\":\"=\",\"value\":\"user\"},"
                        + "{\"field\":\"events.placed-order.last\",\"operator\":\">\",\"value\":{\"days_ago\":7}}]}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonNode segment = json(created);
        String id = segment.get("id").asText();
        assertThat(segment.get("type").asText()).isEqualTo("segment");
        assertThat(segment.get("person_type").asText()).isEqualTo("user");
        assertThat(segment.get("query")
                        .get("value")
                        .get(1)
                        .get("value")
                        .get("days_ago")
                        .asInt())
                .isEqualTo(7);

        JsonNode list = json(server.get("/segments?include_count=true"));
        assertThat(list.get("type").asText()).isEqualTo("segment.list");
        assertThat(list.get("segments").get(0).get("count").asLong()).isEqualTo(2);
        assertThat(json(server.get("/segments")).get("segments").get(0).has("count"))
                .isFalse();
        assertThat(json(server.get("/segments/" + id + "?include_count=true"))
                        .get("count")
                        .asLong())
                .isEqualTo(2);
        assertThat(json(server.get("/contacts/" + bob + "/segments"))
                        .get("data")
                        .get(0)
                        .get("id")
                        .asText())
                .isEqualTo(id);
        String members = "{\"field\":\"segment_id\",\"operator\":\"=\",\"value\":\"" + id + "\"}";
        assertThat(externalIds(search(members))).containsExactlyInAnyOrder("alice", "bob");

        // Three days later bob's last order is eight days old: he leaves the segment.
        clock.advance(Duration.ofDays(3));
        assertThat(externalIds(search(members))).containsExactly("alice");
        assertThat(json(server.get("/segments/" + id + "?include_count=true"))
                        .get("count")
                        .asLong())
                .isEqualTo(1);
        assertThat(json(server.get("/contacts/" + bob + "/segments")).get("data"))
                .isEmpty();
        assertThat(externalIds(search("{\"field\":\"segment_id\",\"operator\":\"!=\",\"value\":\"" + id + "\"}")))
                .containsExactly("bob");
        assertThat(json(server.get("/contacts/" + alice + "/segments")).get("data"))
                .hasSize(1);
    }

    @Test
    void segmentsAreRenamedChangedAndDeletedWithAWriteToken() {
        server.createUser("alice", "alice@example.com");
        String body = "{\"name\":\"All\",\"query\":{\"field\":\"email\",\"operator\":\"~\",\"value\":\"@\"}}";
        String id = json(server.post("/segments", body)).get("id").asText();
        assertError(server.post("/segments", body), 409, "conflict");
        String readOnly = readToken();
        assertError(server.post("/segments", body.replace("All", "Other"), readOnly), 403, "token_unauthorized");
        assertThat(json(server.get("/segments/" + id, readOnly)).get("name").asText())
                .isEqualTo("All");

        HttpResponse<String> renamed = put(
                "/segments/" + id,
                "{\"name\":\"Nobody\",\"query\":{\"field\":\"email\",\"operator\":\"=\",\"value\":\"x\"}}");
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
        assertThat(json(server.get("/segments/" + id + "?include_count=true"))
                        .get("count")
                        .asLong())
                .isZero();
        assertThat(json(server.get("/segments/" + id)).get("person_type").asText())
                .isEqualTo("contact");
        assertThat(assertError(
                                put(
                                        "/segments/" + id,
                                        "{\"query\":{\"field\":\"segment_id\",\"operator\":\"=\",\"value\":\"" + id
                                                + "\"}}"),
                                400,
                                "parameter_invalid")
                        .get("field")
                        .asText())
                .isEqualTo("query");

        assertThat(json(server.delete("/segments/" + id, TestingServer.TOKEN))
                        .get("deleted")
                        .asBoolean())
                .isTrue();
        assertError(server.get("/segments/" + id), 404, "not_found");
        assertError(server.delete("/segments/" + id, TestingServer.TOKEN), 404, "not_found");
    }

    @Test
    void everyNewEndpointSeesOnlyItsOwnWorkspace() {
        String alice = server.createUser("alice", "alice@example.com");
        event("alice", "placed-order", now - 10, "{}");
        String segment = json(server.post(
                        "/segments",
                        "{\"name\":\"Buyers\",\"query\":{\"field\":\"events.placed-order.count\",\"operator\":\">\",\"value\":0}}"))
                .get("id")
                .asText();
        String other = server.createWorkspaceToken("other");

        assertThat(json(server.get("/events/catalog", other)).get("data")).isEmpty();
        assertError(server.get("/events/catalog/placed-order", other), 404, "not_found");
        assertError(server.post("/events/catalog/placed-order/archive", "{}", other), 404, "not_found");
        assertThat(json(server.get("/events/catalog/placed-order"))
                        .get("archived")
                        .asBoolean())
                .isFalse();
        assertThat(json(server.post(
                                "/contacts/search",
                                "{\"query\":{\"field\":\"events.placed-order.count\",\"operator\":\">\",\"value\":0}}",
                                other))
                        .get("total_count")
                        .asLong())
                .isZero();
        assertThat(json(server.get("/segments", other)).get("segments")).isEmpty();
        assertError(server.get("/segments/" + segment, other), 404, "not_found");
        assertError(server.delete("/segments/" + segment, other), 404, "not_found");
        assertError(server.get("/contacts/" + alice + "/segments", other), 404, "not_found");
        assertError(
                server.post(
                        "/contacts/search",
                        "{\"query\":{\"field\":\"segment_id\",\"operator\":\"=\",\"value\":\"" + segment + "\"}}",
                        other),
                400,
                "parameter_invalid");
        assertThat(json(server.get("/segments/" + segment + "?include_count=true"))
                        .get("count")
                        .asLong())
                .isEqualTo(1);
    }

    @Test
    void deletingAContactTakesItOutOfTheCatalogAndSearch() {
        String alice = server.createUser("alice", "alice@example.com");
        server.createUser("bob", "bob@example.com");
        event("alice", "viewed", now - 10, "{}");
        event("bob", "viewed", now - 10, "{}");
        assertThat(server.delete("/contacts/" + alice, TestingServer.TOKEN).statusCode())
                .isEqualTo(200);

        JsonNode entry = json(server.get("/events/catalog/viewed"));
        assertThat(entry.get("count").asLong()).isEqualTo(1);
        assertThat(entry.get("contacts").asLong()).isEqualTo(1);
        assertThat(externalIds(search("{\"field\":\"events.viewed.count\",\"operator\":\">=\",\"value\":1}")))
                .containsExactly("bob");
    }
}
