package dev.tally.search;

import java.util.Optional;

/** Intercom's search operators, by their wire symbol. */
public enum Operator {
    EQ("="),
    NE("!="),
    IN("IN"),
    NIN("NIN"),
    LT("<"),
    GT(">"),
    LE("<="),
    GE(">="),
    CONTAINS("~"),
    NOT_CONTAINS("!~"),
    STARTS_WITH("^"),
    ENDS_WITH("$");

    private final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** IN and NIN take a list of values; every other operator one value. */
    public boolean takesList() {
        return this == IN || this == NIN;
    }

    public static Optional<Operator> fromSymbol(String symbol) {
        for (Operator operator : values()) {
            if (operator.symbol.equals(symbol)) {
                return Optional.of(operator);
            }
        }
        return Optional.empty();
    }
}
