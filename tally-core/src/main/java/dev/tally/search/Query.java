package dev.tally.search;

import static java.util.Objects.requireNonNull;

import dev.tally.event.EventName;
import dev.tally.summary.EventSummary;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A contact search: conditions combined with AND, OR and (for {@code segment_id !=}) NOT.
 * Semantics, for every store: a contact lacking an optional field ({@code email}, a never-done
 * event's {@code first}) fails {@code = ~ ^ $ < > <= >= IN} and passes {@code != !~ NIN};
 * {@code = null} finds the contacts lacking it. String equality is exact; {@code ~ !~ ^ $} ignore
 * case.
 */
public sealed interface Query {

    /** Every term matches. */
    record And(List<Query> terms) implements Query {
        public And {
            terms = List.copyOf(terms);
        }
    }

    /** At least one term matches. */
    record Or(List<Query> terms) implements Query {
        public Or {
            terms = List.copyOf(terms);
        }
    }

    /** The term does not match. Not written by clients: {@code segment_id !=} becomes it. */
    record Not(Query term) implements Query {
        public Not {
            requireNonNull(term, "term is null");
        }
    }

    /** {@code field operator value}; {@code values} has one element unless the operator is IN or NIN. */
    record Condition(Field field, Operator operator, List<Value> values) implements Query {
        public Condition {
            requireNonNull(field, "field is null");
            requireNonNull(operator, "operator is null");
            values = List.copyOf(values);
            if (values.isEmpty() || (!operator.takesList() && values.size() != 1)) {
                throw new IllegalArgumentException(operator + " cannot take " + values.size() + " values");
            }
        }
    }

    /** Whether the candidate matches. Relative dates must be resolved ({@link #at}) and segments inlined. */
    default boolean matches(Candidate candidate) {
        return switch (this) {
            case And and -> and.terms().stream().allMatch(term -> term.matches(candidate));
            case Or or -> or.terms().stream().anyMatch(term -> term.matches(candidate));
            case Not not -> !not.term().matches(candidate);
            case Condition condition -> Conditions.matches(condition, actual(condition.field(), candidate));
        };
    }

    /** This query with every relative date ({@code days_ago}) turned into unix seconds at {@code now}. */
    default Query at(Instant now) {
        return map(condition -> {
            if (condition.values().stream().noneMatch(Value.DaysAgo.class::isInstance)) {
                return condition;
            }
            List<Value> resolved = condition.values().stream()
                    .map(value -> value instanceof Value.DaysAgo ago
                            ? new Value.Whole(now.getEpochSecond() - ago.days() * 86_400)
                            : value)
                    .toList();
            return new Condition(condition.field(), condition.operator(), resolved);
        });
    }

    /** This query with each condition replaced by what {@code replacement} makes of it. */
    default Query map(Function<Condition, Query> replacement) {
        return switch (this) {
            case And and ->
                new And(and.terms().stream().map(term -> term.map(replacement)).toList());
            case Or or ->
                new Or(or.terms().stream().map(term -> term.map(replacement)).toList());
            case Not not -> new Not(not.term().map(replacement));
            case Condition condition -> replacement.apply(condition);
        };
    }

    /** Every condition of the query, depth first. */
    default List<Condition> conditions() {
        return switch (this) {
            case And and ->
                and.terms().stream().flatMap(term -> term.conditions().stream()).toList();
            case Or or ->
                or.terms().stream().flatMap(term -> term.conditions().stream()).toList();
            case Not not -> not.term().conditions();
            case Condition condition -> List.of(condition);
        };
    }

    /** The event names the query reads, sorted. */
    default Set<EventName> eventNames() {
        Set<EventName> names = new TreeSet<>();
        for (Condition condition : conditions()) {
            if (condition.field() instanceof EventField event) {
                names.add(event.name());
            }
        }
        return names;
    }

    /** Whether matching needs the contact's own fields, not only its summaries. */
    default boolean readsContact() {
        return conditions().stream().anyMatch(condition -> condition.field() instanceof ContactField);
    }

    /**
     * The event names a contact must have done to match: a condition that a never-done event fails
     * ({@code count > 0}, {@code last > t}) requires its name; AND requires what any term requires,
     * OR what every term requires, NOT nothing. A store can start from the index of one of them.
     */
    default Set<EventName> requiredEvents() {
        return switch (this) {
            case And and -> {
                Set<EventName> union = new HashSet<>();
                and.terms().forEach(term -> union.addAll(term.requiredEvents()));
                yield union;
            }
            case Or or -> {
                Set<EventName> common = null;
                for (Query term : or.terms()) {
                    Set<EventName> required = term.requiredEvents();
                    if (common == null) {
                        common = new HashSet<>(required);
                    } else {
                        common.retainAll(required);
                    }
                }
                yield common == null ? Set.of() : common;
            }
            case Not not -> Set.of();
            case Condition condition ->
                condition.field() instanceof EventField event
                                && !Conditions.matches(condition, actual(event, Optional.empty()))
                        ? Set.of(event.name())
                        : Set.of();
        };
    }

    private static Optional<Value> actual(Field field, Candidate candidate) {
        return switch (field) {
            case ContactField contactField -> ContactFields.value(contactField, candidate.contact());
            case EventField event -> actual(event, candidate.summary(event.name()));
            case SegmentField segment ->
                throw new IllegalStateException("segment_id must be replaced by the segment's query first");
        };
    }

    private static Optional<Value> actual(EventField field, Optional<EventSummary> summary) {
        return switch (field.aspect()) {
            case COUNT ->
                Optional.of(new Value.Whole(summary.map(EventSummary::count).orElse(0L)));
            case FIRST -> summary.map(s -> new Value.Whole(s.first()));
            case LAST -> summary.map(s -> new Value.Whole(s.last()));
        };
    }
}
