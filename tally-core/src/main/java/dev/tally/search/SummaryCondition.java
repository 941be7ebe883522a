package dev.tally.search;

import static java.util.Objects.requireNonNull;

import dev.tally.event.EventName;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One test on a contact's summary of one event name, false for a contact that never did the event:
 * {@code events.<name>.<aspect> <operator> <values>} with a comparison ({@code = < <= > >= IN}) that
 * 0 does not pass for a count. A query that is nothing but such tests, all required, is what a store
 * can answer on its own with its summaries (see {@link #conjunction}).
 */
public record SummaryCondition(EventName name, EventField.Aspect aspect, Operator operator, List<Long> values) {
    private static final Set<Operator> COMPARISONS =
            EnumSet.of(Operator.EQ, Operator.LT, Operator.LE, Operator.GT, Operator.GE, Operator.IN);

    public SummaryCondition {
        requireNonNull(name, "name is null");
        requireNonNull(aspect, "aspect is null");
        requireNonNull(operator, "operator is null");
        values = List.copyOf(values);
        if (!COMPARISONS.contains(operator) || values.isEmpty()) {
            throw new IllegalArgumentException("not a summary comparison: " + operator + " " + values);
        }
    }

    /**
     * The query as a conjunction of summary conditions, if it is one: a condition or an {@code AND}
     * (nested or not) of conditions, each on an event field with whole values, none of which a
     * contact without the event would pass. Anything else (an {@code OR}, a {@code NOT}, a contact
     * field, {@code count < 3} which 0 passes, {@code != }) is not, and runs through the engine.
     * Relative dates must be resolved and segments inlined first.
     */
    public static Optional<List<SummaryCondition>> conjunction(Query query) {
        List<SummaryCondition> conditions = new ArrayList<>();
        return collect(query, conditions) && !conditions.isEmpty()
                ? Optional.of(List.copyOf(conditions))
                : Optional.empty();
    }

    private static boolean collect(Query query, List<SummaryCondition> into) {
        switch (query) {
            case Query.And and -> {
                for (Query term : and.terms()) {
                    if (!collect(term, into)) {
                        return false;
                    }
                }
                return true;
            }
            case Query.Condition condition -> {
                if (!(condition.field() instanceof EventField field)
                        || !COMPARISONS.contains(condition.operator())
                        || !condition.values().stream().allMatch(Value.Whole.class::isInstance)) {
                    return false;
                }
                List<Long> values = condition.values().stream()
                        .map(value -> ((Value.Whole) value).value())
                        .toList();
                SummaryCondition summary =
                        new SummaryCondition(field.name(), field.aspect(), condition.operator(), values);
                if (field.aspect() == EventField.Aspect.COUNT && summary.test(0)) {
                    return false; // a contact without the event (count 0) would match
                }
                into.add(summary);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** Whether the aspect's value passes. */
    public boolean test(long actual) {
        return switch (operator) {
            case EQ -> actual == values.get(0);
            case LT -> actual < values.get(0);
            case LE -> actual <= values.get(0);
            case GT -> actual > values.get(0);
            case GE -> actual >= values.get(0);
            case IN -> values.contains(actual);
            default -> throw new IllegalStateException(operator + " is not a summary comparison");
        };
    }
}
