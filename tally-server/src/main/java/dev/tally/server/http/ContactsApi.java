package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactDraft;
import dev.tally.contact.ContactId;
import dev.tally.contact.ContactService;
import dev.tally.contact.Role;
import dev.tally.error.ErrorCode;
import dev.tally.error.TallyException;
import dev.tally.workspace.WorkspaceId;
import java.util.List;
import java.util.Optional;

/** The contact endpoints events need, in Intercom's 2.x shape. */
public final class ContactsApi {
    private static final int MAX_FIELD_LENGTH = 255;

    private final ContactService contacts;

    public ContactsApi(ContactService contacts) {
        this.contacts = requireNonNull(contacts, "contacts is null");
    }

    public List<Route> routes() {
        return List.of(
                new Route("POST", "/contacts", Access.WRITE, this::create),
                new Route("GET", "/contacts/{id}", Access.READ, this::get),
                new Route("GET", "/contacts/find_by_external_id/{external_id}", Access.READ, this::findByExternalId),
                new Route("DELETE", "/contacts/{id}", Access.WRITE, this::delete));
    }

    ApiResponse create(ApiRequest request) {
        JsonNode body = request.jsonBody();
        Role role = optionalString(body, "role")
                .map(name -> Role.fromWireName(name)
                        .orElseThrow(() -> TallyException.invalid("role", "role must be 'user' or 'lead'")))
                .orElse(Role.USER);
        ContactDraft draft = new ContactDraft(
                role, optionalString(body, "external_id"), optionalString(body, "email"), optionalString(body, "name"));
        Contact contact = contacts.create(workspace(request), draft);
        return ApiResponse.json(200, WireJson.contact(contact));
    }

    ApiResponse get(ApiRequest request) {
        return ApiResponse.json(200, WireJson.contact(contacts.get(workspace(request), contactId(request))));
    }

    ApiResponse findByExternalId(ApiRequest request) {
        String externalId = request.pathParameter("external_id");
        return ApiResponse.json(200, WireJson.contact(contacts.getUserByExternalId(workspace(request), externalId)));
    }

    ApiResponse delete(ApiRequest request) {
        Contact contact = contacts.get(workspace(request), contactId(request));
        contacts.delete(workspace(request), contact.id());
        return ApiResponse.json(200, WireJson.deletedContact(contact));
    }

    private static ContactId contactId(ApiRequest request) {
        String id = request.pathParameter("id");
        if (id.length() > 64) {
            throw new TallyException(ErrorCode.NOT_FOUND, "No such id[" + id.substring(0, 64) + "…]", "id");
        }
        return new ContactId(id);
    }

    /** A string field; numbers are taken as their text since many clients send numeric ids. */
    static Optional<String> optionalString(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual() && !(node.isIntegralNumber() && field.equals("external_id"))) {
            throw TallyException.invalid(field, field + " must be a string");
        }
        String value = node.asText();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.length() > MAX_FIELD_LENGTH || value.chars().anyMatch(Character::isISOControl)) {
            throw TallyException.invalid(
                    field, field + " must be at most " + MAX_FIELD_LENGTH + " characters without control characters");
        }
        return Optional.of(value);
    }

    private static WorkspaceId workspace(ApiRequest request) {
        return ((Caller.Tenant) request.caller()).workspaceId();
    }
}
