package dev.tally.search;

import dev.tally.contact.Contact;
import dev.tally.event.EventName;
import dev.tally.summary.EventSummary;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A resolved query turned into a tree of tests over one row: the contact (read only if a test asks
 * for it) and the summaries of the query's event names, in an array indexed like {@link #names()}.
 * Event conditions compare longs without allocating, which is what a count over a hundred thousand
 * contacts spends its time on. Matches exactly what {@link Query#matches} matches.
 */
public final class CompiledQuery {
    private final List<EventName> names;
    private final Node root;

    private interface Node {
        boolean test(Supplier<Contact> contact, @Nullable EventSummary[] summaries);
    }

    private CompiledQuery(List<EventName> names, Node root) {
        this.names = names;
        this.root = root;
    }

    /** Compiles a query whose relative dates are resolved and whose segments are inlined. */
    public static CompiledQuery of(Query query) {
        List<EventName> names = List.copyOf(query.eventNames());
        return new CompiledQuery(names, node(query, names));
    }

    /** The event names, in the order of the summaries array {@link #matches} takes. */
    public List<EventName> names() {
        return names;
    }

    /** Whether the row matches; {@code summaries[i]} is null where the contact never did {@code names().get(i)}. */
    public boolean matches(Supplier<Contact> contact, @Nullable EventSummary[] summaries) {
        return root.test(contact, summaries);
    }

    private static Node node(Query query, List<EventName> names) {
        return switch (query) {
            case Query.And and -> {
                Node[] terms =
                        and.terms().stream().map(term -> node(term, names)).toArray(Node[]::new);
                yield (contact, summaries) -> {
                    for (Node term : terms) {
                        if (!term.test(contact, summaries)) {
                            return false;
                        }
                    }
                    return true;
                };
            }
            case Query.Or or -> {
                Node[] terms =
                        or.terms().stream().map(term -> node(term, names)).toArray(Node[]::new);
                yield (contact, summaries) -> {
                    for (Node term : terms) {
                        if (term.test(contact, summaries)) {
                            return true;
                        }
                    }
                    return false;
                };
            }
            case Query.Not not -> {
                Node term = node(not.term(), names);
                yield (contact, summaries) -> !term.test(contact, summaries);
            }
            case Query.Condition condition -> condition(condition, names);
        };
    }

    private static Node condition(Query.Condition condition, List<EventName> names) {
        return switch (condition.field()) {
            case ContactField field ->
                (contact, summaries) -> Conditions.matches(condition, ContactFields.value(field, contact.get()));
            case EventField event -> eventCondition(condition, event, names.indexOf(event.name()));
            case SegmentField segment ->
                throw new IllegalArgumentException("segment_id must be replaced by the segment's query first");
        };
    }

    private static Node eventCondition(Query.Condition condition, EventField field, int index) {
        if (condition.values().get(0) == Value.Null.NULL) {
            boolean wantUnknown = condition.operator() == Operator.EQ;
            return (contact, summaries) -> (summaries[index] == null) == wantUnknown;
        }
        long[] values = condition.values().stream()
                .mapToLong(value -> ((Value.Whole) value).value())
                .toArray();
        Operator operator = condition.operator();
        EventField.Aspect aspect = field.aspect();
        boolean missingMatches = operator == Operator.NE || operator == Operator.NIN;
        return (contact, summaries) -> {
            @Nullable EventSummary summary = summaries[index];
            long actual;
            if (summary == null) {
                if (aspect != EventField.Aspect.COUNT) {
                    return missingMatches;
                }
                actual = 0;
            } else {
                actual = switch (aspect) {
                    case COUNT -> summary.count();
                    case FIRST -> summary.first();
                    case LAST -> summary.last();
                };
            }
            return compare(operator, actual, values);
        };
    }

    private static boolean compare(Operator operator, long actual, long[] values) {
        return switch (operator) {
            case EQ -> actual == values[0];
            case NE -> actual != values[0];
            case IN -> contains(values, actual);
            case NIN -> !contains(values, actual);
            case LT -> actual < values[0];
            case GT -> actual > values[0];
            case LE -> actual <= values[0];
            case GE -> actual >= values[0];
            case CONTAINS, NOT_CONTAINS, STARTS_WITH, ENDS_WITH ->
                throw new IllegalStateException(operator + " on a number");
        };
    }

    private static boolean contains(long[] values, long actual) {
        for (long value : values) {
            if (value == actual) {
                return true;
            }
        }
        return false;
    }
}
