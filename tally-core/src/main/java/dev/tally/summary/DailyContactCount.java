package dev.tally.summary;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;

/** How many contacts a workspace created on one UTC day. Kept up to date as contacts are inserted. */
public record DailyContactCount(LocalDate day, long count) {
    public DailyContactCount {
        requireNonNull(day, "day is null");
    }
}
