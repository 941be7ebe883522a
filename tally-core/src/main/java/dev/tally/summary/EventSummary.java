package dev.tally.summary;

import static java.util.Objects.requireNonNull;

import dev.tally.event.EventName;

/**
 * Count, first and last {@code created_at} (unix seconds) of one event name for one contact. Also
 * the shape of a baseline posted to {@code /events/summaries} for events counted outside Tally.
 */
public record EventSummary(EventName name, long count, long first, long last) {
    public EventSummary {
        requireNonNull(name, "name is null");
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0");
        }
        if (first > last) {
            throw new IllegalArgumentException("first must not be after last");
        }
    }

    public static EventSummary of(EventName name, long createdAt) {
        return new EventSummary(name, 1, createdAt, createdAt);
    }

    /** This summary with one more event. */
    public EventSummary plusEvent(long createdAt) {
        return new EventSummary(name, count + 1, Math.min(first, createdAt), Math.max(last, createdAt));
    }

    /** Two summaries of the same name combined: counts add, first is the earlier, last the later. */
    public EventSummary plus(EventSummary other) {
        if (!name.equals(other.name)) {
            throw new IllegalArgumentException("cannot add summaries of " + name + " and " + other.name);
        }
        return new EventSummary(name, count + other.count, Math.min(first, other.first), Math.max(last, other.last));
    }
}
