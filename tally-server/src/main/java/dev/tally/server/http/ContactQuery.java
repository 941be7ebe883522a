package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.Role;
import dev.tally.error.TallyException;
import dev.tally.service.ContactService;
import dev.tally.workspace.WorkspaceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An equality search over {@code email}, {@code external_id} and {@code role}, all terms ANDed. A
 * term on external id or email is answered from its index; a role-only search scans in id order.
 */
record ContactQuery(Map<String, String> terms) {
    private static final Set<String> FIELDS = Set.of("email", "external_id", "role");
    private static final int SCAN_BATCH = 500;

    ContactQuery {
        terms = Map.copyOf(terms);
    }

    static ContactQuery parse(JsonNode query) {
        if (query == null || !query.isObject()) {
            throw TallyException.missing(
                    "query", "query is required: {\"field\":\"email\",\"operator\":\"=\",\"value\":\"…\"}");
        }
        Map<String, String> terms = new java.util.LinkedHashMap<>();
        if (query.has("field")) {
            addTerm(query, terms);
        } else if ("AND".equals(query.path("operator").asText())
                && query.path("value").isArray()) {
            for (JsonNode term : query.get("value")) {
                addTerm(term, terms);
            }
        } else {
            throw TallyException.invalid(
                    "query",
                    "query must be one {field, operator, value} term or {\"operator\":\"AND\",\"value\":[terms]}");
        }
        if (terms.isEmpty()) {
            throw TallyException.invalid("query", "query needs at least one term");
        }
        return new ContactQuery(terms);
    }

    private static void addTerm(JsonNode term, Map<String, String> terms) {
        String field = term.path("field").asText();
        if (!FIELDS.contains(field)) {
            throw TallyException.invalid("query.field", "search supports the fields email, external_id and role");
        }
        if (!"=".equals(term.path("operator").asText())) {
            throw TallyException.invalid("query.operator", "search supports the operator = only");
        }
        JsonNode value = term.get("value");
        if (value == null || !value.isTextual()) {
            throw TallyException.invalid("query.value", "the value of " + field + " must be a string");
        }
        if (terms.containsKey(field) && !terms.get(field).equals(value.textValue())) {
            terms.put(field, "\u0000impossible");
        } else {
            terms.put(field, value.textValue());
        }
    }

    List<Contact> run(ContactService contacts, WorkspaceId workspace, Optional<ContactId> after, int limit) {
        requireNonNull(contacts, "contacts is null");
        Predicate<Contact> matches = this::matches;
        Predicate<Contact> afterCursor = contact ->
                after.isEmpty() || contact.id().value().compareTo(after.get().value()) > 0;
        if (terms.containsKey("external_id")) {
            return contacts.findByExternalId(workspace, terms.get("external_id")).stream()
                    .filter(matches.and(afterCursor))
                    .toList();
        }
        if (terms.containsKey("email")) {
            return contacts.findByEmail(workspace, terms.get("email")).stream()
                    .filter(matches.and(afterCursor))
                    .limit(limit)
                    .toList();
        }
        List<Contact> found = new ArrayList<>();
        Optional<ContactId> position = after;
        while (found.size() < limit) {
            List<Contact> batch = contacts.list(workspace, position, SCAN_BATCH);
            batch.stream().filter(matches).limit(limit - found.size()).forEach(found::add);
            if (batch.size() < SCAN_BATCH) {
                break;
            }
            position = Optional.of(batch.get(batch.size() - 1).id());
        }
        return found;
    }

    private boolean matches(Contact contact) {
        return terms.entrySet().stream().allMatch(term -> switch (term.getKey()) {
            case "email" -> contact.email().filter(term.getValue()::equals).isPresent();
            case "external_id" ->
                contact.externalId().filter(term.getValue()::equals).isPresent();
            case "role" ->
                Role.fromWireName(term.getValue())
                        .filter(contact.role()::equals)
                        .isPresent();
            default -> false;
        });
    }
}
