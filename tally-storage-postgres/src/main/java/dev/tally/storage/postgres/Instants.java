package dev.tally.storage.postgres;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * Instants as {@code numeric} epoch seconds with the nanoseconds as fraction. Exact both ways,
 * where {@code timestamptz} would round to microseconds and a value read back would differ from
 * the one stored.
 */
final class Instants {
    private Instants() {}

    static BigDecimal toNumeric(Instant instant) {
        return BigDecimal.valueOf(instant.getEpochSecond()).add(BigDecimal.valueOf(instant.getNano(), 9));
    }

    static Instant fromNumeric(BigDecimal value) {
        BigDecimal seconds = value.setScale(0, RoundingMode.FLOOR);
        int nanos = value.subtract(seconds).movePointRight(9).intValueExact();
        return Instant.ofEpochSecond(seconds.longValueExact(), nanos);
    }
}
