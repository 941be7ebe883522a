package dev.tally.server.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import dev.tally.json.TallyJson;
import dev.tally.server.TestingServer;
import dev.tally.server.openapi.IntercomDescription.DescribedOperation;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tally against Intercom's published OpenAPI descriptions, versions 2.7 to 2.16: for every
 * operation Tally implements, the description's request examples (or a body built from its schema's
 * examples) are sent with {@code Intercom-Version} set, to a fresh workspace holding the contacts
 * they name. Each answer's status must be one the operation documents and its body must validate
 * against the documented schema; error answers against the description's error schema. Where the
 * description contradicts itself or Intercom's real behaviour, the difference is listed once, in
 * {@link #DEVIATIONS}, with its reason; a listed difference that no longer occurs fails the test too.
 */
class OpenApiSchemaTest {
    private static final String ALL_VERSIONS = "2\\.\\d+";

    /**
     * Every accepted difference between an answer (or a request the test sends) and the description.
     * Each one is also in docs/api.md. Keys: {@code request|response <status> <instance> <keyword>}
     * for a validation error, {@code status <status> undocumented} for a status the operation does
     * not list, {@code refused <status>} for a valid request Tally answers with an error.
     */
    static final List<Deviation> DEVIATIONS = List.of(
            new Deviation(
                    ALL_VERSIONS,
                    "lisDataEvents",
                    "response 200 (/type enum|/events/\\d+ required|"
                            + " required: required property '(email|intercom_user_id|user_id)')",
                    "GET /events documents the summary schema for the plain list too; the list is"
                            + " {\"type\":\"event.list\",\"events\",\"pages\"}, as the 1.x documents, Intercom's"
                            + " own client fixtures and its clients read it"),
            new Deviation(
                    ALL_VERSIONS,
                    "lisDataEvents",
                    "response 200 /events/\\d+/description type",
                    "summaries carry \"description\": null where an event name has no description, as"
                            + " Intercom's summaries do; every version types it as a non-nullable string"),
            new Deviation(
                    ALL_VERSIONS,
                    "createDataEvent",
                    "request /metadata/(load|contact_date|order_number|price) type",
                    "create_data_event_request types metadata values as strings only, while the same"
                            + " operation's prose documents numbers, dates, rich links and money"),
            new Deviation(
                    ALL_VERSIONS,
                    "(CreateContact|ShowContact|UpdateContact|MergeContact|ListContacts|SearchContacts"
                            + "|ShowContactByExternalId)",
                    "response 200 (/data/\\d+)?/(tags|notes|companies)/url format",
                    "a contact's tags, notes and companies lists give their url as a path"
                            + " (\"/contacts/{id}/tags\") in every one of Intercom's examples, where the schema"
                            + " says format uri (absolute)"),
            new Deviation(
                    "2\\.11",
                    "(ListContacts|SearchContacts)",
                    "response 200 /pages/next type: null found",
                    "on the last page pages.next is null, as Tally documents it; 2.11's"
                            + " starting_after_paging is not nullable, where every other version's is"),
            new Deviation(
                    "2\\.(7|8|9|10|11|12|13|14|15)",
                    "ShowContact",
                    "status 404 undocumented",
                    "before 2.16 a merged lead's old id answers 404, documented in the operation's"
                            + " description (\"Merged contacts\") but not among its responses"));

    private static final Set<Deviation> USED = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger WORKSPACES = new AtomicInteger();

    @TempDir
    static Path dataDir;

    static TestingServer server;

    @BeforeAll
    static void start() {
        server = TestingServer.start(dataDir);
    }

    @AfterAll
    static void stopAndCheckEveryDeviationStillOccurs() {
        server.close();
        assertThat(DEVIATIONS.stream().filter(d -> !USED.contains(d)).map(Deviation::reason))
                .as("listed differences that no longer occur: remove them here and in docs/api.md")
                .isEmpty();
    }

    @TestFactory
    Stream<DynamicNode> everyAnswerIsOneTheDescriptionDocuments() {
        return IntercomDescription.VERSIONS.stream().map(version -> {
            IntercomDescription description = IntercomDescription.load(version);
            return dynamicContainer(
                    "Intercom-Version " + version,
                    description.operations().stream().flatMap(operation -> cases(description, operation)));
        });
    }

    private Stream<DynamicNode> cases(IntercomDescription description, DescribedOperation operation) {
        List<DynamicNode> cases = new ArrayList<>();
        Map<String, ObjectNode> bodies = operation.requestBodies();
        if (bodies.isEmpty()) {
            cases.add(dynamicTest(
                    operation.id() + " as its description gives it",
                    () -> checkValidRequest(description, operation, Optional.empty(), Map.of())));
        }
        bodies.forEach((name, body) -> cases.add(dynamicTest(
                operation.id() + " with its " + name,
                () -> checkValidRequest(description, operation, Optional.of(body), Map.of()))));
        cases.add(dynamicTest(
                operation.id() + " with an invalid token answers the documented 401",
                () -> checkInvalidToken(
                        description, operation, bodies.values().stream().findFirst())));
        switch (operation.id()) {
            case "lisDataEvents" ->
                cases.add(dynamicTest(
                        "lisDataEvents with summary=true",
                        () -> checkValidRequest(description, operation, Optional.empty(), Map.of("summary", "true"))));
            case "createDataEvent" ->
                cases.add(dynamicTest(
                        "createDataEvent with the metadata types its prose documents",
                        () -> checkValidRequest(
                                description,
                                operation,
                                Optional.of(typedMetadataEvent(
                                        bodies.values().iterator().next())),
                                Map.of())));
            case "ShowContact" -> {
                cases.add(dynamicTest(
                        "ShowContact of a lead without email or external id",
                        () -> checkContactWithout(description, operation)));
                cases.add(dynamicTest(
                        "ShowContact of a merged lead answers as the version documents",
                        () -> checkMergedLead(description, operation)));
            }
            default -> {}
        }
        return cases.stream();
    }

    /** A valid request: Tally must accept it, with a documented status and body. */
    private void checkValidRequest(
            IntercomDescription description,
            DescribedOperation operation,
            Optional<ObjectNode> example,
            Map<String, String> extraQuery) {
        Workspace workspace = Workspace.create();
        Optional<ObjectNode> body = example.map(ObjectNode::deepCopy);
        Fixture fixture = workspace.fixture(operation, body);
        body.ifPresent(fixture::bind);
        if (operation.id().equals("lisDataEvents")) {
            workspace.post(
                    "/events",
                    "{\"event_name\":\"placed-order\",\"created_at\":"
                            + Instant.now().getEpochSecond() + ",\"user_id\":\"" + fixture.externalId()
                            + "\",\"metadata\":{\"order_number\":\"3434\"}}");
        }
        List<String> findings = new ArrayList<>();
        body.ifPresent(sent -> findings.addAll(validate("request", description.requestSchema(operation), sent)));
        HttpResponse<String> answer = workspace.send(
                description.version(), operation, fixture.path(operation), fixture.query(operation, extraQuery), body);
        if (answer.statusCode() >= 400) {
            findings.add("refused " + answer.statusCode() + ": " + answer.body());
        }
        findings.addAll(checkAnswer(description, operation, answer));
        assertOnlyDeviations(description, operation, findings);
    }

    private void checkInvalidToken(
            IntercomDescription description, DescribedOperation operation, Optional<ObjectNode> example) {
        Workspace workspace = Workspace.create();
        Optional<ObjectNode> body = example.map(ObjectNode::deepCopy);
        Fixture fixture = workspace.fixture(operation, body);
        body.ifPresent(fixture::bind);
        HttpResponse<String> answer = new Workspace("not-a-token-of-this-server-0123456789")
                .send(
                        description.version(),
                        operation,
                        fixture.path(operation),
                        fixture.query(operation, Map.of()),
                        body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
        assertOnlyDeviations(description, operation, checkAnswer(description, operation, answer));
    }

    private void checkContactWithout(IntercomDescription description, DescribedOperation operation) {
        Workspace workspace = Workspace.create();
        String lead = workspace.contactId(workspace.post("/contacts", "{\"role\":\"lead\"}"));
        HttpResponse<String> answer = workspace.send(
                description.version(), operation, Fixture.pathWith(operation, lead, ""), "", Optional.empty());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(TestingServer.json(answer).get("email").asText()).isEmpty();
        assertOnlyDeviations(description, operation, checkAnswer(description, operation, answer));
    }

    private void checkMergedLead(IntercomDescription description, DescribedOperation operation) {
        Workspace workspace = Workspace.create();
        String lead = workspace.contactId(workspace.post("/contacts", "{\"role\":\"lead\"}"));
        String user = workspace.contactId(
                workspace.post("/contacts", "{\"role\":\"user\",\"external_id\":\"merge-target\"}"));
        workspace.post("/contacts/merge", "{\"from\":\"" + lead + "\",\"into\":\"" + user + "\"}");
        HttpResponse<String> answer = workspace.send(
                description.version(), operation, Fixture.pathWith(operation, lead, ""), "", Optional.empty());
        if (description.version().equals("2.16")) {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(410);
            assertThat(answer.headers().firstValue("Link")).contains("</contacts/" + user + ">; rel=\"canonical\"");
        } else {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
        }
        assertOnlyDeviations(description, operation, checkAnswer(description, operation, answer));
    }

    /** What in an answer differs from the description: its status, then its body. */
    private static List<String> checkAnswer(
            IntercomDescription description, DescribedOperation operation, HttpResponse<String> answer) {
        int status = answer.statusCode();
        List<String> findings = new ArrayList<>();
        if (operation.response(status).isEmpty()) {
            findings.add("status " + status + " undocumented");
            if (status >= 400) {
                findings.addAll(validate("response " + status, description.errorSchema(), parse(answer)));
            }
            return findings;
        }
        if (operation.documentsJsonBody(status)) {
            findings.addAll(validate(
                    "response " + status,
                    description.responseSchema(operation, String.valueOf(status)),
                    parse(answer)));
        } else if (!answer.body().isEmpty()) {
            findings.add("response " + status + " has a body where none is documented: " + answer.body());
        }
        return findings;
    }

    private static List<String> validate(String what, Schema schema, JsonNode value) {
        List<Error> errors = schema.validate(value.toString(), InputFormat.JSON);
        return errors.stream()
                .map(error ->
                        what + " " + error.getInstanceLocation() + " " + error.getKeyword() + ": " + error.getMessage())
                .toList();
    }

    private static void assertOnlyDeviations(
            IntercomDescription description, DescribedOperation operation, List<String> findings) {
        List<String> unexplained = new ArrayList<>();
        for (String finding : findings) {
            Optional<Deviation> deviation = DEVIATIONS.stream()
                    .filter(d -> d.covers(description.version(), operation.id(), finding))
                    .findFirst();
            if (deviation.isPresent()) {
                USED.add(deviation.get());
            } else {
                unexplained.add(finding);
            }
        }
        assertThat(unexplained)
                .as(
                        "%s %s %s differs from Intercom's description %s",
                        operation.method(), operation.path(), operation.id(), description.version())
                .isEmpty();
    }

    private static JsonNode parse(HttpResponse<String> answer) {
        return TestingServer.json(answer);
    }

    /** The example event with metadata of every type the operation's prose documents. */
    private static ObjectNode typedMetadataEvent(ObjectNode example) {
        ObjectNode event = example.deepCopy();
        ObjectNode metadata = event.putObject("metadata");
        metadata.put("source", "desktop");
        metadata.put("load", 3.67);
        metadata.put("contact_date", 1392036272L);
        metadata.put("article", "https://example.org/ab1de.html");
        metadata.putObject("order_number")
                .put("url", "https://example.org/ab1de.html")
                .put("value", "the dude abides");
        metadata.putObject("price").put("amount", 34999).put("currency", "eur");
        return event;
    }

    /**
     * One difference between Tally and a description that the project accepts, with its reason.
     *
     * @param versions which versions it concerns (a regular expression)
     * @param operations which operations (a regular expression of operation ids)
     * @param finding what differs (a regular expression, matched at the start of the finding)
     */
    record Deviation(String versions, String operations, String finding, String reason) {
        boolean covers(String version, String operation, String found) {
            return Pattern.matches(versions, version)
                    && Pattern.matches(operations, operation)
                    && Pattern.compile(finding).matcher(found).lookingAt();
        }
    }

    /** A fresh workspace per case, so that creating a contact never meets another case's. */
    private record Workspace(String token) {
        static Workspace create() {
            return new Workspace(server.createWorkspaceToken("schema-" + WORKSPACES.incrementAndGet()));
        }

        HttpResponse<String> post(String path, String json) {
            HttpResponse<String> answer = server.post(path, json, token);
            assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 299);
            return answer;
        }

        String contactId(HttpResponse<String> answer) {
            return TestingServer.json(answer).get("id").asText();
        }

        /**
         * The contacts an operation's request names, created so that every identifier it gives
         * (user_id, email, id) names the same user.
         */
        Fixture fixture(DescribedOperation operation, Optional<ObjectNode> body) {
            String externalId = body.map(b -> b.path("user_id"))
                    .filter(JsonNode::isTextual)
                    .map(JsonNode::asText)
                    .or(() -> operation.parameters("path").stream()
                            .filter(p -> p.getName().equals("external_id"))
                            .map(Parameter::getExample)
                            .filter(example -> example != null)
                            .map(Object::toString)
                            .findFirst())
                    .orElse("fixture-user");
            String email = body.filter(b -> b.has("user_id") || b.has("id"))
                    .map(b -> b.path("email"))
                    .filter(JsonNode::isTextual)
                    .map(JsonNode::asText)
                    .orElse("fixture@example.com");
            ObjectNode user = TallyJson.mapper().createObjectNode();
            user.put("role", "user").put("external_id", externalId).put("email", email);
            String userId = contactId(post("/contacts", user.toString()));
            String leadId = contactId(post("/contacts", "{\"role\":\"lead\"}"));
            return new Fixture(userId, externalId, email, leadId);
        }

        HttpResponse<String> send(
                String version, DescribedOperation operation, String path, String query, Optional<ObjectNode> body) {
            HttpRequest.Builder request = server.request(path + query)
                    .header("Authorization", "Bearer " + token)
                    .header("Intercom-Version", version)
                    .header("Accept", "application/json");
            HttpRequest.BodyPublisher publisher = body.map(b -> HttpRequest.BodyPublishers.ofString(b.toString()))
                    .orElse(HttpRequest.BodyPublishers.noBody());
            if (body.isPresent()) {
                request.header("Content-Type", "application/json");
            }
            return server.send(
                    request.method(operation.method().name(), publisher).build());
        }
    }

    /** The contacts of one case: a user every identifier in the request names, and a lead. */
    private record Fixture(String userId, String externalId, String email, String leadId) {
        /** Points the example's contact references at this fixture's contacts. */
        void bind(ObjectNode body) {
            if (body.has("id")) {
                body.put("id", userId);
            }
            if (body.has("from")) {
                body.put("from", leadId);
            }
            if (body.has("into")) {
                body.put("into", userId);
            }
        }

        String path(DescribedOperation operation) {
            return pathWith(operation, userId, externalId);
        }

        static String pathWith(DescribedOperation operation, String contactId, String externalId) {
            return operation
                    .path()
                    .replace("{id}", contactId)
                    .replace("{contact_id}", contactId)
                    .replace("{external_id}", URLEncoder.encode(externalId, StandardCharsets.UTF_8));
        }

        /**
         * The operation's query: its documented examples, its required parameters given this
         * fixture's values (the {@code filter} object of GET /events spells "one of user_id, email,
         * intercom_user_id": the user's external id), and the case's extra parameters.
         */
        String query(DescribedOperation operation, Map<String, String> extra) {
            Map<String, String> query = new LinkedHashMap<>();
            for (Parameter parameter : operation.parameters("query")) {
                String name = parameter.getName();
                if (parameter.getExample() != null) {
                    query.put(name, parameter.getExample().toString());
                } else if (Boolean.TRUE.equals(parameter.getRequired())) {
                    switch (name) {
                        case "filter" -> query.put("user_id", externalId);
                        case "type" -> query.put("type", "user");
                        default -> throw new IllegalStateException("no value for required parameter " + name);
                    }
                }
            }
            query.putAll(extra);
            if (query.isEmpty()) {
                return "";
            }
            return query.entrySet().stream()
                    .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&", "?", ""));
        }
    }
}
