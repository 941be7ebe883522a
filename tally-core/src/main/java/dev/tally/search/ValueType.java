package dev.tally.search;

import java.util.EnumSet;
import java.util.Set;

/** The type of a searchable field, which decides the operators it takes. */
public enum ValueType {
    STRING(EnumSet.of(
            Operator.EQ,
            Operator.NE,
            Operator.IN,
            Operator.NIN,
            Operator.CONTAINS,
            Operator.NOT_CONTAINS,
            Operator.STARTS_WITH,
            Operator.ENDS_WITH)),
    NUMBER(EnumSet.of(
            Operator.EQ, Operator.NE, Operator.IN, Operator.NIN, Operator.LT, Operator.GT, Operator.LE, Operator.GE)),
    /** Unix seconds, compared by the second (Intercom compares by calendar day). */
    DATE(EnumSet.of(Operator.EQ, Operator.LT, Operator.GT)),
    SEGMENT(EnumSet.of(Operator.EQ, Operator.NE));

    private final Set<Operator> operators;

    ValueType(Set<Operator> operators) {
        this.operators = Set.copyOf(operators);
    }

    public Set<Operator> operators() {
        return operators;
    }
}
