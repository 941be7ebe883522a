package dev.tally.search;

import static java.util.Objects.requireNonNull;

/** One value a condition compares with. */
public sealed interface Value {
    /** A string, for string fields and segment ids. */
    record Text(String value) implements Value {
        public Text {
            requireNonNull(value, "value is null");
        }
    }

    /** A whole number: a count, or a date in unix seconds. */
    record Whole(long value) implements Value {}

    /**
     * A date relative to the moment the query runs: {@code {"days_ago": N}} is now minus N times
     * 86,400 seconds. It lets a saved segment say "in the last 30 days" and move with time.
     */
    record DaysAgo(long days) implements Value {
        public DaysAgo {
            if (days < 0 || days > 100_000) {
                throw new IllegalArgumentException("days must be 0..100000");
            }
        }
    }

    /** JSON {@code null}: the field is unknown ({@code =}) or known ({@code !=}). */
    enum Null implements Value {
        NULL
    }
}
