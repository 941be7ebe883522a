package dev.tally.summary;

import static java.util.Objects.requireNonNull;

import dev.tally.event.EventName;
import java.time.LocalDate;

/**
 * How many events of one name a workspace received for one UTC day of their {@code created_at}.
 * Kept up to date on ingest, so reading a range of days never scans events.
 */
public record DailyEventCount(LocalDate day, EventName name, long count) {
    private static final long SECONDS_PER_DAY = 86_400;

    public DailyEventCount {
        requireNonNull(day, "day is null");
        requireNonNull(name, "name is null");
    }

    /** The UTC day of a {@code created_at} in unix seconds. */
    public static LocalDate dayOf(long epochSeconds) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochSeconds, SECONDS_PER_DAY));
    }
}
