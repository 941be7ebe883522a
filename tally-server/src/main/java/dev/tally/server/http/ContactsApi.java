package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactChanges;
import dev.tally.contact.ContactDraft;
import dev.tally.contact.ContactId;
import dev.tally.contact.Role;
import dev.tally.error.ErrorCode;
import dev.tally.error.InputText;
import dev.tally.error.TallyException;
import dev.tally.service.ContactMergeService;
import dev.tally.service.ContactService;
import java.util.List;
import java.util.Optional;

/** The contact endpoints events need, in Intercom's 2.x shape. */
public final class ContactsApi {
    private static final int MAX_FIELD_LENGTH = 255;
    private static final int DEFAULT_PER_PAGE = 50;
    private static final int MAX_PER_PAGE = 150;

    private final ContactService contacts;
    private final ContactMergeService merges;

    public ContactsApi(ContactService contacts, ContactMergeService merges) {
        this.contacts = requireNonNull(contacts, "contacts is null");
        this.merges = requireNonNull(merges, "merges is null");
    }

    /** A lead becoming a user: {@code {"from": lead id, "into": user id}}. */
    ApiResponse merge(ApiRequest request) {
        JsonNode body = request.jsonBody();
        ContactId from = bodyContactId(body, "from", "from (the lead's id) is required");
        ContactId into = bodyContactId(body, "into", "into (the user's id) is required");
        return ApiResponse.json(200, WireJson.contact(merges.merge(request.workspaceId(), from, into)));
    }

    public List<Route> routes() {
        return List.of(
                new Route("POST", "/contacts", Access.WRITE, this::create),
                new Route("GET", "/contacts", Access.READ, this::list),
                new Route("PUT", "/contacts/{id}", Access.WRITE, this::update),
                new Route("POST", "/contacts/search", Access.READ, this::search),
                new Route("POST", "/contacts/merge", Access.WRITE, this::merge),
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
        Contact contact = contacts.create(request.workspaceId(), draft);
        return ApiResponse.json(200, WireJson.contact(contact));
    }

    ApiResponse list(ApiRequest request) {
        int perPage = PerPage.parse(request.queryParameter("per_page"), DEFAULT_PER_PAGE, MAX_PER_PAGE);
        Optional<ContactId> after = request.queryParameter("starting_after").map(ContactId::new);
        List<Contact> page = contacts.list(request.workspaceId(), after, perPage + 1);
        return ApiResponse.json(200, WireJson.contactList(page, perPage, contacts.count(request.workspaceId())));
    }

    ApiResponse update(ApiRequest request) {
        JsonNode body = request.jsonBody();
        ContactChanges changes =
                new ContactChanges(change(body, "external_id"), change(body, "email"), change(body, "name"));
        if (body.has("role")) {
            throw TallyException.invalid(
                    "role", "role cannot be changed; merge a lead into a user with POST /contacts/merge");
        }
        return ApiResponse.json(
                200, WireJson.contact(contacts.update(request.workspaceId(), contactId(request), changes)));
    }

    /**
     * Intercom's search shape, for equality on {@code email}, {@code external_id} and {@code role}:
     * {@code {"query":{"field":"email","operator":"=","value":"x"}}} or an {@code AND} of such terms.
     */
    ApiResponse search(ApiRequest request) {
        JsonNode body = request.jsonBody();
        ContactQuery query = ContactQuery.parse(body.get("query"));
        JsonNode pagination = body.path("pagination");
        int perPage = PerPage.parse(
                pagination.has("per_page")
                        ? Optional.of(pagination.get("per_page").asText())
                        : Optional.empty(),
                DEFAULT_PER_PAGE,
                MAX_PER_PAGE);
        Optional<ContactId> after = pagination.path("starting_after").isTextual()
                ? Optional.of(new ContactId(pagination.get("starting_after").textValue()))
                : Optional.empty();
        List<Contact> page = query.run(contacts, request.workspaceId(), after, perPage + 1);
        long total = query.run(contacts, request.workspaceId(), Optional.empty(), Integer.MAX_VALUE)
                .size();
        return ApiResponse.json(200, WireJson.contactList(page, perPage, total));
    }

    /** A field to set: absent leaves it, null or "" clears it. */
    private static Optional<Optional<String>> change(JsonNode body, String field) {
        if (!body.has(field)) {
            return Optional.empty();
        }
        return Optional.of(optionalString(body, field));
    }

    ApiResponse get(ApiRequest request) {
        return ApiResponse.json(200, WireJson.contact(contacts.get(request.workspaceId(), contactId(request))));
    }

    ApiResponse findByExternalId(ApiRequest request) {
        String externalId = request.pathParameter("external_id");
        return ApiResponse.json(200, WireJson.contact(contacts.getUserByExternalId(request.workspaceId(), externalId)));
    }

    ApiResponse delete(ApiRequest request) {
        Contact contact = contacts.get(request.workspaceId(), contactId(request));
        contacts.delete(request.workspaceId(), contact.id());
        return ApiResponse.json(200, WireJson.deletedContact(contact));
    }

    /** A contact id in a body field; empty or longer than any id is a 400 naming the field, not a 500. */
    private static ContactId bodyContactId(JsonNode body, String field, String missing) {
        String id = optionalString(body, field).orElseThrow(() -> TallyException.missing(field, missing));
        if (id.isEmpty() || id.length() > ContactId.MAX_LENGTH) {
            throw TallyException.invalid(
                    field, field + " must be a contact id of 1-" + ContactId.MAX_LENGTH + " characters");
        }
        return new ContactId(id);
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
        if (value.length() > MAX_FIELD_LENGTH || InputText.hasControlCharacter(value)) {
            throw TallyException.invalid(
                    field, field + " must be at most " + MAX_FIELD_LENGTH + " characters without control characters");
        }
        return Optional.of(value);
    }
}
