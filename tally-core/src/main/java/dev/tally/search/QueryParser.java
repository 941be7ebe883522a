package dev.tally.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.error.InputText;
import dev.tally.error.TallyException;
import dev.tally.event.EventName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one parser of Intercom's search query JSON: {@code {"field","operator","value"}} or {@code
 * {"operator":"AND"|"OR","value":[...]}}, nested at most two groups deep with at most 15 terms per
 * group. Every error is a 400 whose field names the part that is wrong, as a path from {@code
 * query} ({@code query.value[1].operator}).
 */
public final class QueryParser {
    /** Intercom's limits. */
    public static final int MAX_GROUP_DEPTH = 2;

    public static final int MAX_TERMS_PER_GROUP = 15;
    static final int MAX_LIST_VALUES = 100;
    static final int MAX_STRING_LENGTH = 255;
    private static final Pattern WHOLE_TEXT = Pattern.compile("[0-9]{1,18}");
    private static final String EVENTS_PREFIX = "events.";

    private QueryParser() {}

    /** Parses the query at {@code path} (the name errors use, e.g. {@code query}). */
    public static Query parse(JsonNode node, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw TallyException.missing(
                    path, path + " is required: {\"field\":\"email\",\"operator\":\"=\",\"value\":\"…\"}");
        }
        return term(node, path, 0);
    }

    private static Query term(JsonNode node, String path, int depth) {
        if (!node.isObject()) {
            throw TallyException.invalid(path, path + " must be an object");
        }
        if (node.has("field")) {
            return condition(node, path);
        }
        JsonNode operator = node.get("operator");
        if (operator == null
                || !operator.isTextual()
                || !(operator.textValue().equals("AND") || operator.textValue().equals("OR"))) {
            throw TallyException.invalid(
                    path + ".operator",
                    path + " must be a {field, operator, value} condition or a group with operator AND or OR");
        }
        if (depth >= MAX_GROUP_DEPTH) {
            throw TallyException.invalid(
                    path, "AND/OR groups can be nested at most " + MAX_GROUP_DEPTH + " levels deep");
        }
        JsonNode value = node.get("value");
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw TallyException.invalid(path + ".value", path + ".value must be a non-empty array of terms");
        }
        if (value.size() > MAX_TERMS_PER_GROUP) {
            throw TallyException.invalid(
                    path + ".value", "a group takes at most " + MAX_TERMS_PER_GROUP + " terms, got " + value.size());
        }
        List<Query> terms = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            terms.add(term(value.get(i), path + ".value[" + i + "]", depth + 1));
        }
        return operator.textValue().equals("AND") ? new Query.And(terms) : new Query.Or(terms);
    }

    private static Query.Condition condition(JsonNode node, String path) {
        Field field = field(node.get("field"), path + ".field");
        JsonNode operatorNode = node.get("operator");
        String allowed =
                field.type().operators().stream().sorted().map(Operator::symbol).collect(Collectors.joining(" "));
        if (operatorNode == null || !operatorNode.isTextual()) {
            throw TallyException.invalid(path + ".operator", path + ".operator must be one of " + allowed);
        }
        Operator operator = Operator.fromSymbol(operatorNode.textValue())
                .filter(field.type().operators()::contains)
                .orElseThrow(() -> TallyException.invalid(
                        path + ".operator",
                        "operator " + InputText.abbreviate(operatorNode.textValue()) + " does not apply to "
                                + field.wireName() + "; it takes " + allowed));
        String valuePath = path + ".value";
        JsonNode value = node.get("value");
        if (value == null) {
            throw TallyException.missing(valuePath, valuePath + " is required");
        }
        List<Value> values = new ArrayList<>();
        if (operator.takesList()) {
            if (!value.isArray() || value.isEmpty() || value.size() > MAX_LIST_VALUES) {
                throw TallyException.invalid(
                        valuePath, operator.symbol() + " takes an array of 1 to " + MAX_LIST_VALUES + " values");
            }
            for (int i = 0; i < value.size(); i++) {
                values.add(value(field, operator, value.get(i), valuePath + "[" + i + "]"));
            }
        } else {
            values.add(value(field, operator, value, valuePath));
        }
        return new Query.Condition(field, operator, values);
    }

    private static Field field(JsonNode node, String path) {
        if (node == null || !node.isTextual()) {
            throw TallyException.invalid(path, path + " must be a string");
        }
        String name = node.textValue();
        Optional<ContactField> contactField = ContactField.fromWireName(name);
        if (contactField.isPresent()) {
            return contactField.get();
        }
        if (name.equals(SegmentField.SEGMENT_ID.wireName())) {
            return SegmentField.SEGMENT_ID;
        }
        int aspectAt = name.lastIndexOf('.');
        if (name.startsWith(EVENTS_PREFIX) && aspectAt > EVENTS_PREFIX.length()) {
            String aspect = name.substring(aspectAt + 1);
            for (EventField.Aspect candidate : EventField.Aspect.values()) {
                if (candidate.wireName().equals(aspect)) {
                    try {
                        return new EventField(
                                EventName.of(name.substring(EVENTS_PREFIX.length(), aspectAt)), candidate);
                    } catch (IllegalArgumentException e) {
                        throw TallyException.invalid(
                                path, "the event name in " + path + " is not valid: " + e.getMessage());
                    }
                }
            }
        }
        throw TallyException.invalid(
                path,
                "cannot search by " + InputText.abbreviate(name) + "; searchable fields: "
                        + java.util.Arrays.stream(ContactField.values())
                                .map(ContactField::wireName)
                                .collect(Collectors.joining(", "))
                        + ", events.<event name>.count, events.<event name>.first, events.<event name>.last, segment_id");
    }

    private static Value value(Field field, Operator operator, JsonNode node, String path) {
        if (node.isNull()) {
            boolean canBeUnknown = (field instanceof ContactField contactField && contactField.optional())
                    || (field instanceof EventField event && event.aspect() != EventField.Aspect.COUNT);
            if (!canBeUnknown || !(operator == Operator.EQ || operator == Operator.NE)) {
                throw TallyException.invalid(
                        path,
                        "null is allowed only with = or != on a field a contact can lack, not on " + field.wireName());
            }
            return Value.Null.NULL;
        }
        return switch (field.type()) {
            case STRING, SEGMENT -> {
                if (!node.isTextual()) {
                    throw TallyException.invalid(path, field.wireName() + " compares with strings");
                }
                String text = node.textValue();
                if (text.length() > MAX_STRING_LENGTH || InputText.hasControlCharacter(text)) {
                    throw TallyException.invalid(
                            path,
                            "a string value is at most " + MAX_STRING_LENGTH
                                    + " characters, without control characters");
                }
                yield new Value.Text(text);
            }
            case NUMBER -> new Value.Whole(whole(node, path, field.wireName() + " compares with whole numbers"));
            case DATE -> {
                if (node.isObject()) {
                    JsonNode days = node.get("days_ago");
                    if (node.size() != 1 || days == null) {
                        throw TallyException.invalid(path, "a relative date is {\"days_ago\": N}");
                    }
                    long ago = whole(days, path + ".days_ago", "days_ago must be a whole number 0..100000");
                    if (ago > 100_000) {
                        throw TallyException.invalid(path + ".days_ago", "days_ago must be a whole number 0..100000");
                    }
                    yield new Value.DaysAgo(ago);
                }
                yield new Value.Whole(
                        whole(node, path, field.wireName() + " compares with unix seconds or {\"days_ago\": N}"));
            }
        };
    }

    private static long whole(JsonNode node, String path, String message) {
        if (node.isTextual() && WHOLE_TEXT.matcher(node.textValue()).matches()) {
            // Intercom's own example sends a date as a string of digits ("1306054154")
            return Long.parseLong(node.textValue());
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw TallyException.invalid(path, message);
        }
        return node.longValue();
    }
}
