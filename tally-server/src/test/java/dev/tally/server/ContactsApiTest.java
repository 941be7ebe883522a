package dev.tally.server;

import static dev.tally.server.TestingServer.assertError;
import static dev.tally.server.TestingServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactsApiTest {
    @TempDir
    Path dataDir;

    TestingServer server;

    @BeforeEach
    void start() {
        server = TestingServer.start(dataDir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createdUserHasTheIntercomContactShapeAndIsFoundByIdAndExternalId() {
        HttpResponse<String> created = server.post(
                "/contacts",
                "{\"role\":\"user\",\"external_id\":\"25\",\"email\":\"wash@serenity.io\",\"name\":\"Wash\"}");
        assertThat(created.statusCode()).isEqualTo(200);
        JsonNode contact = json(created);
        assertThat(contact.get("type").asText()).isEqualTo("contact");
        assertThat(contact.get("id").asText()).matches("[0-9a-f]{24}");
        assertThat(contact.get("workspace_id").asText()).isNotBlank();
        assertThat(contact.get("role").asText()).isEqualTo("user");
        assertThat(contact.get("external_id").asText()).isEqualTo("25");
        assertThat(contact.get("email").asText()).isEqualTo("wash@serenity.io");
        assertThat(contact.get("name").asText()).isEqualTo("Wash");
        assertThat(contact.get("created_at").asLong()).isPositive();

        assertThat(json(server.get("/contacts/" + contact.get("id").asText()))).isEqualTo(contact);
        assertThat(json(server.get("/contacts/find_by_external_id/25"))).isEqualTo(contact);
    }

    @Test
    void contactListGivesTheTotalCountAndEveryContactIntercomsEmptyValues() {
        String lead = server.createLead();
        server.createUser("a", "a@example.com");
        server.createUser("b", "b@example.com");

        JsonNode page = json(server.get("/contacts?per_page=2"));
        assertThat(page.get("total_count").asLong()).isEqualTo(3);
        assertThat(page.get("data")).hasSize(2);
        assertThat(page.get("pages").get("next").get("starting_after").asText()).isNotBlank();

        JsonNode contact = json(server.get("/contacts/" + lead));
        assertThat(contact.get("email").isTextual()).isTrue();
        assertThat(contact.get("email").asText()).isEmpty();
        assertThat(contact.get("phone").isNull()).isTrue();
        assertThat(contact.get("signed_up_at").isNull()).isTrue();
        assertThat(contact.get("has_hard_bounced").asBoolean()).isFalse();
        assertThat(contact.get("location").get("type").asText()).isEqualTo("location");
        assertThat(contact.get("social_profiles").get("data")).isEmpty();
        for (String list : List.of("tags", "notes", "companies")) {
            assertThat(contact.get(list).get("total_count").asInt()).isZero();
            assertThat(contact.get(list).get("url").asText()).isEqualTo("/contacts/" + lead + "/" + list);
        }
    }

    @Test
    void externalIdIsUniqueWithinAWorkspace() {
        server.createUser("dup", "a@example.com");
        assertError(server.post("/contacts", "{\"external_id\":\"dup\"}"), 409, "conflict");
    }

    @Test
    void userNeedsAnExternalIdOrEmailButALeadDoesNot() {
        assertError(server.post("/contacts", "{\"role\":\"user\"}"), 400, "parameter_not_found");
        assertThat(server.post("/contacts", "{\"role\":\"lead\"}").statusCode()).isEqualTo(200);
        assertError(server.post("/contacts", "{\"role\":\"admin\"}"), 400, "parameter_invalid");
    }

    @Test
    void findByExternalIdAnswersUsersOnly() {
        assertThat(server.post("/contacts", "{\"role\":\"lead\",\"external_id\":\"lead-ext\"}")
                        .statusCode())
                .isEqualTo(200);
        assertError(server.get("/contacts/find_by_external_id/lead-ext"), 404, "not_found");
    }

    @Test
    void externalIdsWithSlashesAndSpacesWork() {
        server.createUser("a/b c", "slash@example.com");
        assertThat(server.get("/contacts/find_by_external_id/a%2Fb%20c").statusCode())
                .isEqualTo(200);
    }

    @Test
    void deletingAContactErasesItsEventsAndSummaries() {
        long now = Instant.now().getEpochSecond();
        String id = server.createUser("gone", "gone@example.com");
        server.post("/events", "{\"event_name\":\"x\",\"created_at\":" + now + ",\"user_id\":\"gone\"}");
        HttpResponse<String> deleted = server.delete("/contacts/" + id, TestingServer.TOKEN);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).get("deleted").asBoolean()).isTrue();
        assertError(server.get("/contacts/" + id), 404, "not_found");
        assertError(server.get("/events?type=user&user_id=gone"), 404, "not_found");

        // A new contact with the same external id starts empty.
        server.createUser("gone", "gone@example.com");
        assertThat(json(server.get("/events?type=user&user_id=gone")).get("events"))
                .isEmpty();
        assertThat(json(server.get("/events?type=user&user_id=gone&summary=true"))
                        .get("events"))
                .isEmpty();
    }
}
