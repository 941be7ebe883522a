package dev.tally.contact;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.error.InputText;
import dev.tally.error.TallyException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one reading of how a request names a contact, in a JSON body or in query parameters. The rules:
 *
 * <ul>
 *   <li>{@code id} and its alias {@code intercom_user_id} are Tally's id (1-64 characters); {@code user_id}
 *       and {@code email} are at most 255 characters. No value may hold a control character.
 *   <li>In a body, a value is a string; a whole number is taken as its decimal text for the ids
 *       ({@code "user_id": 314159} is common), never for {@code email}. Any other type is a 400 naming the
 *       field. {@code null} and {@code ""} mean "not given" (clients send empty fields).
 *   <li>A body's fields are tried in the order the caller lists them; the first given wins, and every
 *       one given must keep the rules.
 *   <li>In a query, a parameter that is present is given, so an empty one is a 400; at most one of the
 *       names the caller allows may be present.
 * </ul>
 */
public final class ContactRefParser {
    public static final int MAX_LENGTH = 255;

    /** The fields of {@code POST /events}, in Intercom's order of precedence. */
    public static final List<String> EVENT_FIELDS = List.of("id", "user_id", "email");

    private ContactRefParser() {}

    /** A contact named by one field: which field, and the reference it makes. */
    public record Named(String field, ContactRef ref) {}

    /**
     * The first of {@code fields} that {@code body} gives, in that order; {@code missing} when it gives
     * none. Every one of them is checked, not only the one that wins: {@code "email": 123} beside a good
     * {@code user_id} is a 400 naming {@code email}, not silently ignored. On every event's path, so it
     * allocates nothing but the reference (no iterator, no {@code Optional} around the result).
     */
    public static ContactRef fromJson(JsonNode body, List<String> fields, Supplier<TallyException> missing) {
        ContactRef first = null;
        for (int i = 0; i < fields.size(); i++) {
            String field = fields.get(i);
            Optional<String> value = jsonValue(body.get(field), field);
            if (value.isPresent()) {
                ContactRef ref = of(field, value.get());
                if (first == null) {
                    first = ref;
                }
            }
        }
        if (first == null) {
            throw missing.get();
        }
        return first;
    }

    /** The one of {@code names} present among the query parameters; a 400 when several are. */
    public static Optional<Named> fromParameters(Function<String, Optional<String>> parameters, List<String> names) {
        List<String> given = names.stream()
                .filter(name -> parameters.apply(name).isPresent())
                .toList();
        if (given.size() > 1) {
            throw TallyException.invalid(
                    given.get(1), "give one of " + String.join(", ", names) + ", not " + String.join(" and ", given));
        }
        return given.stream()
                .findFirst()
                .map(name -> new Named(name, of(name, parameters.apply(name).orElseThrow())));
    }

    /** A contact named by {@code field}; a 400 naming the field when the value breaks the rules. */
    public static ContactRef of(String field, String value) {
        boolean contactId = field.equals("id") || field.equals("intercom_user_id");
        int max = contactId ? ContactId.MAX_LENGTH : MAX_LENGTH;
        if (value.isEmpty() || value.length() > max || InputText.hasControlCharacter(value)) {
            throw TallyException.invalid(field, field + " must be 1-" + max + " characters without control characters");
        }
        return switch (field) {
            case "user_id" -> new ContactRef.ByExternalId(value);
            case "email" -> new ContactRef.ByEmail(value);
            default -> new ContactRef.ById(new ContactId(value));
        };
    }

    private static Optional<String> jsonValue(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            return Optional.of(node.textValue()).filter(value -> !value.isEmpty());
        }
        if (node.isIntegralNumber() && !field.equals("email")) {
            return Optional.of(node.asText());
        }
        throw TallyException.invalid(field, field + " must be a string");
    }
}
