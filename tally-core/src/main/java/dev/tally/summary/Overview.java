package dev.tally.summary;

import static java.util.Objects.requireNonNull;

import dev.tally.event.EventName;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A workspace's activity over its last {@code days.size()} UTC days, oldest first: events received
 * per day in total and per name, the names with the most events, and the contacts created per day.
 * Every list is aligned with {@link #days()}.
 */
public record Overview(
        List<LocalDate> days,
        List<Long> totalEvents,
        Map<EventName, List<Long>> eventsByName,
        List<NameCount> topNames,
        List<Long> newContacts) {
    public Overview {
        days = List.copyOf(days);
        totalEvents = List.copyOf(totalEvents);
        eventsByName = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(eventsByName));
        topNames = List.copyOf(topNames);
        newContacts = List.copyOf(newContacts);
        if (totalEvents.size() != days.size() || newContacts.size() != days.size()) {
            throw new IllegalArgumentException("every series must have one value per day");
        }
    }

    /** An event name with its count over the whole range. */
    public record NameCount(EventName name, long count) {
        public NameCount {
            requireNonNull(name, "name is null");
        }
    }

    public long eventCount() {
        return totalEvents.stream().mapToLong(Long::longValue).sum();
    }

    public long contactCount() {
        return newContacts.stream().mapToLong(Long::longValue).sum();
    }
}
