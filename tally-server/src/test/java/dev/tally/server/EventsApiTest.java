package dev.tally.server;

import static dev.tally.server.TestingServer.assertError;
import static dev.tally.server.TestingServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.config.ServerConfig;
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

/** POST /events and GET /events over HTTP against a real server. Subclassed to run on PostgreSQL. */
class EventsApiTest {
    @TempDir
    Path dataDir;

    TestingServer server;
    long now = Instant.now().getEpochSecond();

    /** The configuration a store-specific subclass changes. */
    protected ServerConfig config(Path dir) {
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

    private String event(String name, long createdAt, String userId, String metadata) {
        return "{\"event_name\":\"" + name + "\",\"created_at\":" + createdAt + ",\"user_id\":\"" + userId
                + "\",\"metadata\":" + metadata + "}";
    }

    @Test
    void acceptedEventAnswers202WithAnEmptyBodyAndIsListed() {
        String id = server.createUser("314159", "frodo@example.com");
        HttpResponse<String> response =
                server.post("/events", event("invited-friend", now - 10, "314159", "{\"invite_code\":\"ADDAFRIEND\"}"));
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEmpty();

        JsonNode list = json(server.get("/events?type=user&user_id=314159"));
        assertThat(list.get("type").asText()).isEqualTo("event.list");
        JsonNode event = list.get("events").get(0);
        assertThat(event.get("type").asText()).isEqualTo("event");
        assertThat(event.get("event_name").asText()).isEqualTo("invited-friend");
        assertThat(event.get("created_at").asLong()).isEqualTo(now - 10);
        assertThat(event.get("user_id").asText()).isEqualTo("314159");
        assertThat(event.get("email").asText()).isEqualTo("frodo@example.com");
        assertThat(event.get("intercom_user_id").asText()).isEqualTo(id);
        assertThat(event.get("id").asText()).isNotBlank();
        assertThat(event.get("metadata").get("invite_code").asText()).isEqualTo("ADDAFRIEND");
        assertThat(list.get("pages").get("next").isNull()).isTrue();
    }

    @Test
    void duplicateEventIsAcceptedButStoredOnceAndTheFirstMetadataWins() {
        server.createUser("u1", "u1@example.com");
        assertThat(server.post("/events", event("Placed.Order", now - 5, "u1", "{\"n\":1}"))
                        .statusCode())
                .isEqualTo(202);
        assertThat(server.post("/events", event("placed-order", now - 5, "u1", "{\"n\":2}"))
                        .statusCode())
                .isEqualTo(202);

        JsonNode events = json(server.get("/events?type=user&user_id=u1")).get("events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("event_name").asText()).isEqualTo("placed-order");
        assertThat(events.get(0).get("metadata").get("n").asInt()).isEqualTo(1);
        JsonNode summary = json(server.get("/events?type=user&user_id=u1&summary=true"))
                .get("events")
                .get(0);
        assertThat(summary.get("count").asInt()).isEqualTo(1);
    }

    @Test
    void eventsAreListedNewestFirstAndPagedThroughAbsoluteNextUrlsThatSurviveNewEvents() {
        server.createUser("pager", "pager@example.com");
        for (int i = 0; i < 7; i++) {
            assertThat(server.post("/events", event("e" + i, now - 100 + i, "pager", "{}"))
                            .statusCode())
                    .isEqualTo(202);
        }
        JsonNode first = json(server.get("/events?type=user&user_id=pager&per_page=3"));
        assertThat(names(first)).containsExactly("e6", "e5", "e4");
        String next = first.get("pages").get("next").asText();
        assertThat(next).startsWith("http://127.0.0.1:" + server.port() + "/events?");

        // A newer event arriving between pages does not shift what the next page shows.
        assertThat(server.post("/events", event("late", now, "pager", "{}")).statusCode())
                .isEqualTo(202);

        List<String> rest = new ArrayList<>();
        while (!next.isEmpty()) {
            HttpResponse<String> page = server.get(next.substring(next.indexOf("/events")));
            assertThat(page.statusCode()).isEqualTo(200);
            rest.addAll(names(json(page)));
            JsonNode nextNode = json(page).get("pages").get("next");
            next = nextNode.isNull() ? "" : nextNode.asText();
        }
        assertThat(rest).containsExactly("e3", "e2", "e1", "e0");
    }

    @Test
    void publicUrlIsUsedForNextPages() {
        server.close();
        server = TestingServer.start(config(dataDir).withPublicUrl("https://events.example.com/"));
        server.createUser("pub", "pub@example.com");
        server.post("/events", event("a", now - 2, "pub", "{}"));
        server.post("/events", event("b", now - 1, "pub", "{}"));
        JsonNode page = json(server.get("/events?type=user&user_id=pub&per_page=1"));
        assertThat(page.get("pages").get("next").asText())
                .startsWith("https://events.example.com/events?type=user&user_id=pub&per_page=1&cursor=");
    }

    @Test
    void perPageDefaultsTo15AndHasADocumentedMaximum() {
        server.createUser("many", "many@example.com");
        for (int i = 0; i < 16; i++) {
            server.post("/events", event("n" + i, now - i, "many", "{}"));
        }
        assertThat(json(server.get("/events?type=user&user_id=many")).get("events"))
                .hasSize(15);
        assertError(server.get("/events?type=user&user_id=many&per_page=151"), 400, "parameter_invalid");
        assertError(server.get("/events?type=user&user_id=many&per_page=0"), 400, "parameter_invalid");
        assertError(server.get("/events?type=user&user_id=many&per_page=ten"), 400, "parameter_invalid");
    }

    @Test
    void summaryCountsEveryEventWithFirstAndLastInMilliseconds() {
        server.createUser("sum", "sum@example.com");
        server.post("/events", event("placed-order", 1389913941, "sum", "{}"));
        server.post("/events", event("placed-order", 1389913000, "sum", "{}"));
        server.post("/events", event("placed-order", now - 1, "sum", "{}"));
        server.post("/events", event("invited-friend", 1389913941, "sum", "{}"));

        JsonNode summary = json(server.get("/events?type=user&user_id=sum&summary=true"));
        assertThat(summary.get("type").asText()).isEqualTo("event.summary");
        assertThat(summary.get("user_id").asText()).isEqualTo("sum");
        assertThat(summary.get("email").asText()).isEqualTo("sum@example.com");
        JsonNode orders = byName(summary, "placed-order");
        assertThat(orders.get("count").asInt()).isEqualTo(3);
        assertThat(orders.get("first").asText()).isEqualTo("2014-01-16T22:56:40.000Z");
        assertThat(orders.get("last").asText())
                .isEqualTo(Instant.ofEpochSecond(now - 1).toString().replace("Z", ".000Z"));
        assertThat(byName(summary, "invited-friend").get("first").asText()).isEqualTo("2014-01-16T23:12:21.000Z");
        assertThat(orders.has("description")).isTrue();
    }

    @Test
    void listShowsOnlyTheLast90DaysWhileSummariesCoverAllHistory() {
        server.createUser("old", "old@example.com");
        server.post("/events", event("ancient", now - Duration.ofDays(91).toSeconds(), "old", "{}"));
        server.post("/events", event("recent", now - Duration.ofDays(89).toSeconds(), "old", "{}"));
        assertThat(names(json(server.get("/events?type=user&user_id=old")))).containsExactly("recent");
        JsonNode summary = json(server.get("/events?type=user&user_id=old&summary=true"));
        assertThat(summary.get("events")).hasSize(2);
    }

    @Test
    void eventsAreFoundByEmailAndLeadsByTheirId() {
        server.createUser("mail", "mail@example.com");
        String lead = server.createLead();
        assertThat(server.post(
                                "/events",
                                "{\"event_name\":\"by-email\",\"created_at\":" + now
                                        + ",\"email\":\"mail@example.com\"}")
                        .statusCode())
                .isEqualTo(202);
        assertThat(server.post(
                                "/events",
                                "{\"event_name\":\"lead-event\",\"created_at\":" + now + ",\"id\":\"" + lead + "\"}")
                        .statusCode())
                .isEqualTo(202);
        assertThat(names(json(server.get("/events?type=user&email=mail%40example.com"))))
                .containsExactly("by-email");
        JsonNode leadEvents = json(server.get("/events?type=user&intercom_user_id=" + lead));
        assertThat(names(leadEvents)).containsExactly("lead-event");
        assertThat(leadEvents.get("events").get(0).get("user_id").isNull()).isTrue();
    }

    @Test
    void idTakesPrecedenceOverUserIdAndEmail() {
        String first = server.createUser("first", "first@example.com");
        server.createUser("second", "second@example.com");
        server.post(
                "/events",
                "{\"event_name\":\"picked\",\"created_at\":" + now + ",\"id\":\"" + first
                        + "\",\"user_id\":\"second\",\"email\":\"second@example.com\"}");
        assertThat(names(json(server.get("/events?type=user&user_id=first")))).containsExactly("picked");
        assertThat(names(json(server.get("/events?type=user&user_id=second")))).isEmpty();
    }

    @Test
    void unknownUserIsA404NamingTheField() {
        JsonNode error = assertError(server.post("/events", event("x", now, "314159", "{}")), 404, "not_found");
        assertThat(error.get("message").asText()).isEqualTo("No such user_id[314159]");
        assertThat(error.get("field").asText()).isEqualTo("user_id");
        assertError(server.get("/events?type=user&user_id=314159"), 404, "not_found");
    }

    @Test
    void emailSharedByTwoUsersIsAConflict() {
        server.createUser("a", "shared@example.com");
        server.createUser("b", "shared@example.com");
        assertError(
                server.post(
                        "/events",
                        "{\"event_name\":\"x\",\"created_at\":" + now + ",\"email\":\"shared@example.com\"}"),
                409,
                "conflict");
    }

    @Test
    void metadataKeysBeyondTheTrackedTenAreIgnoredAndNamedInAHeader() {
        server.createUser("keys", "keys@example.com");
        StringBuilder twelve = new StringBuilder("{");
        for (int i = 0; i < 12; i++) {
            twelve.append(i == 0 ? "" : ",")
                    .append("\"k")
                    .append(i)
                    .append("\":")
                    .append(i);
        }
        twelve.append('}');
        HttpResponse<String> response = server.post("/events", event("wide", now - 3, "keys", twelve.toString()));
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("X-Tally-Ignored-Metadata-Keys"))
                .contains("k10,k11");

        // k0..k9 are now the tracked keys of "wide": a new key on a later event is ignored too.
        HttpResponse<String> later = server.post("/events", event("wide", now - 2, "keys", "{\"k0\":1,\"fresh\":2}"));
        assertThat(later.headers().firstValue("X-Tally-Ignored-Metadata-Keys")).contains("fresh");
        JsonNode newest =
                json(server.get("/events?type=user&user_id=keys")).get("events").get(0);
        assertThat(newest.get("metadata").has("fresh")).isFalse();
        assertThat(newest.get("metadata").get("k0").asInt()).isEqualTo(1);
    }

    @Test
    void invalidEventsGetA400ThatNamesTheField() {
        server.createUser("bad", "bad@example.com");
        assertThat(assertError(
                                server.post("/events", "{\"created_at\":" + now + ",\"user_id\":\"bad\"}"),
                                400,
                                "parameter_not_found")
                        .get("field")
                        .asText())
                .isEqualTo("event_name");
        assertThat(assertError(
                                server.post("/events", "{\"event_name\":\"x\",\"user_id\":\"bad\"}"),
                                400,
                                "parameter_not_found")
                        .get("field")
                        .asText())
                .isEqualTo("created_at");
        assertThat(assertError(server.post("/events", event("x", -1, "bad", "{}")), 400, "parameter_invalid")
                        .get("field")
                        .asText())
                .isEqualTo("created_at");
        JsonNode millis = assertError(
                server.post("/events", event("x", System.currentTimeMillis(), "bad", "{}")), 400, "parameter_invalid");
        assertThat(millis.get("message").asText()).contains("milliseconds");
        assertThat(assertError(
                                server.post("/events", event("x", now, "bad", "{\"tags\":[1,2]}")),
                                400,
                                "parameter_invalid")
                        .get("field")
                        .asText())
                .isEqualTo("metadata.tags");
        assertThat(assertError(
                                server.post("/events", event("x", now, "bad", "{\"a\":{\"b\":{\"c\":1}}}")),
                                400,
                                "parameter_invalid")
                        .get("field")
                        .asText())
                .isEqualTo("metadata.a");
        assertThat(assertError(
                                server.post(
                                        "/events", event("x", now, "bad", "{\"note\":\"" + "y".repeat(256) + "\"}")),
                                400,
                                "parameter_invalid")
                        .get("message")
                        .asText())
                .contains("255");
        assertError(
                server.post("/events", "{\"event_name\":\"x\",\"created_at\":\"yesterday\",\"user_id\":\"bad\"}"),
                400,
                "parameter_invalid");
        assertError(
                server.post("/events", "{\"event_name\":\"x\",\"created_at\":" + now + "}"),
                400,
                "parameter_not_found");
    }

    @Test
    void baselinesPostedToSummariesAreAddedToStoredCountsAndReplacedWhenPostedAgain() {
        server.createUser("314159", "base@example.com");
        server.post("/events", event("invited-friend", 1671028894, "314159", "{}"));
        String baseline =
                "{\"user_id\":\"314159\",\"event_summaries\":{\"event_name\":\"invited-friend\",\"count\":5,\"first\":1600000000,\"last\":1600000100}}";
        HttpResponse<String> posted = server.post("/events/summaries", baseline);
        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(posted.body()).isEmpty();
        JsonNode summary = byName(json(server.get("/events?type=user&user_id=314159&summary=true")), "invited-friend");
        assertThat(summary.get("count").asInt()).isEqualTo(6);
        assertThat(summary.get("first").asText()).isEqualTo("2020-09-13T12:26:40.000Z");
        assertThat(summary.get("last").asText()).isEqualTo("2022-12-14T14:41:34.000Z");

        server.post("/events/summaries", baseline.replace("\"count\":5", "\"count\":2"));
        assertThat(byName(json(server.get("/events?type=user&user_id=314159&summary=true")), "invited-friend")
                        .get("count")
                        .asInt())
                .isEqualTo(3);

        String list =
                "{\"user_id\":\"314159\",\"event_summaries\":[{\"event_name\":\"other\",\"count\":1,\"first\":1600000000,\"last\":1600000000}]}";
        assertThat(server.post("/events/summaries", list).statusCode()).isEqualTo(200);
        assertThat(byName(json(server.get("/events?type=user&user_id=314159&summary=true")), "other")
                        .get("count")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void listRequestsNeedTypeUserAndExactlyOneIdentifier() {
        server.createUser("q", "q@example.com");
        assertError(server.get("/events?user_id=q"), 400, "parameter_not_found");
        assertError(server.get("/events?type=company&user_id=q"), 400, "parameter_invalid");
        assertError(server.get("/events?type=user"), 400, "parameter_not_found");
        assertError(server.get("/events?type=user&user_id=q&email=q%40example.com"), 400, "parameter_invalid");
        assertError(server.get("/events?type=user&user_id=q&user_id=r"), 400, "parameter_invalid");
        assertError(server.get("/events?type=user&user_id=q&cursor=garbage!"), 400, "parameter_invalid");
    }

    @Test
    void aKnownFieldOfTheWrongTypeIsA400NamingItEvenWhenAnotherFieldNamesTheContact() {
        server.createUser("314159", "frodo@example.com");

        JsonNode email = assertError(
                server.post(
                        "/events",
                        "{\"event_name\":\"x\",\"created_at\":" + now + ",\"user_id\":\"314159\",\"email\":123}"),
                400,
                "parameter_invalid");
        assertThat(email.get("field").asText()).isEqualTo("email");

        JsonNode userId = assertError(
                server.post(
                        "/events", "{\"event_name\":\"x\",\"created_at\":" + now + ",\"id\":\"abc\",\"user_id\":[1]}"),
                400,
                "parameter_invalid");
        assertThat(userId.get("field").asText()).isEqualTo("user_id");

        JsonNode summaries = assertError(
                server.post(
                        "/events/summaries",
                        "{\"user_id\":\"314159\",\"email\":true,\"event_summaries\":{\"event_name\":\"x\","
                                + "\"count\":1,\"first\":1,\"last\":1}}"),
                400,
                "parameter_invalid");
        assertThat(summaries.get("field").asText()).isEqualTo("email");
        assertThat(json(server.get("/events?type=user&user_id=314159")).get("events"))
                .isEmpty();
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.get("events").forEach(event -> names.add(event.get("event_name").asText()));
        return names;
    }

    private static JsonNode byName(JsonNode summary, String name) {
        for (JsonNode event : summary.get("events")) {
            if (event.get("name").asText().equals(name)) {
                return event;
            }
        }
        throw new AssertionError("no summary for " + name + " in " + summary);
    }
}
