package dev.tally.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.EventName;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryConditionTest {
    private static final EventName ORDER = new EventName("placed-order");
    private static final EventName VIEW = new EventName("viewed-item");

    private static Query.Condition condition(
            EventName name, EventField.Aspect aspect, Operator operator, long... values) {
        return new Query.Condition(
                new EventField(name, aspect),
                operator,
                java.util.Arrays.stream(values)
                        .mapToObj(value -> (Value) new Value.Whole(value))
                        .toList());
    }

    @Test
    void anAndOfRequiredEventComparisonsIsAConjunction() {
        Query query = new Query.And(List.of(
                condition(ORDER, EventField.Aspect.COUNT, Operator.GT, 1),
                new Query.And(List.of(condition(VIEW, EventField.Aspect.LAST, Operator.IN, 5, 7)))));

        assertThat(SummaryCondition.conjunction(query))
                .contains(List.of(
                        new SummaryCondition(ORDER, EventField.Aspect.COUNT, Operator.GT, List.of(1L)),
                        new SummaryCondition(VIEW, EventField.Aspect.LAST, Operator.IN, List.of(5L, 7L))));
    }

    @Test
    void whatAContactWithoutTheEventCouldMatchIsNot() {
        // count < 3 and count = 0 match a contact that never did the event; != and NIN too.
        assertThat(SummaryCondition.conjunction(condition(ORDER, EventField.Aspect.COUNT, Operator.LT, 3)))
                .isEmpty();
        assertThat(SummaryCondition.conjunction(condition(ORDER, EventField.Aspect.COUNT, Operator.IN, 0, 2)))
                .isEmpty();
        assertThat(SummaryCondition.conjunction(condition(ORDER, EventField.Aspect.LAST, Operator.NE, 3)))
                .isEmpty();
        assertThat(SummaryCondition.conjunction(condition(ORDER, EventField.Aspect.COUNT, Operator.GE, 1)))
                .isPresent();
    }

    @Test
    void orNotAndContactFieldsAreNot() {
        Query.Condition order = condition(ORDER, EventField.Aspect.COUNT, Operator.GT, 1);
        assertThat(SummaryCondition.conjunction(new Query.Or(List.of(order, order))))
                .isEmpty();
        assertThat(SummaryCondition.conjunction(new Query.Not(order))).isEmpty();
        assertThat(SummaryCondition.conjunction(new Query.And(List.of(
                        order,
                        new Query.Condition(ContactField.EMAIL, Operator.EQ, List.of(new Value.Text("a@x.io")))))))
                .isEmpty();
    }
}
