package dev.tally.search;

import java.util.Locale;
import java.util.Optional;

/** How one condition compares an actual value (empty: the contact lacks it). */
final class Conditions {
    private Conditions() {}

    static boolean matches(Query.Condition condition, Optional<Value> actual) {
        Operator operator = condition.operator();
        if (condition.values().get(0) == Value.Null.NULL) {
            return (operator == Operator.EQ) == actual.isEmpty();
        }
        if (actual.isEmpty()) {
            return operator == Operator.NE || operator == Operator.NIN || operator == Operator.NOT_CONTAINS;
        }
        Value value = actual.get();
        return switch (operator) {
            case EQ -> value.equals(condition.values().get(0));
            case NE -> !value.equals(condition.values().get(0));
            case IN -> condition.values().contains(value);
            case NIN -> !condition.values().contains(value);
            case LT -> compare(value, condition) < 0;
            case GT -> compare(value, condition) > 0;
            case LE -> compare(value, condition) <= 0;
            case GE -> compare(value, condition) >= 0;
            case CONTAINS ->
                folded(text(value)).contains(folded(text(condition.values().get(0))));
            case NOT_CONTAINS ->
                !folded(text(value)).contains(folded(text(condition.values().get(0))));
            case STARTS_WITH ->
                folded(text(value)).startsWith(folded(text(condition.values().get(0))));
            case ENDS_WITH ->
                folded(text(value)).endsWith(folded(text(condition.values().get(0))));
        };
    }

    private static int compare(Value actual, Query.Condition condition) {
        return Long.compare(whole(actual), whole(condition.values().get(0)));
    }

    private static long whole(Value value) {
        if (value instanceof Value.Whole whole) {
            return whole.value();
        }
        throw new IllegalStateException("not resolved to a number: " + value);
    }

    private static String text(Value value) {
        if (value instanceof Value.Text text) {
            return text.value();
        }
        throw new IllegalStateException("not a string: " + value);
    }

    /** Lower-cases for the case-insensitive operators. */
    private static String folded(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
