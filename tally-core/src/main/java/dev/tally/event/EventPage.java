package dev.tally.event;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** One page of a contact's events, newest first, and where the next page starts if there is one. */
public record EventPage(List<DataEvent> events, Optional<EventCursor> next) {
    public EventPage {
        events = List.copyOf(events);
        requireNonNull(next, "next is null");
    }
}
