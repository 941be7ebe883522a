package dev.tally.search;

import dev.tally.contact.Contact;
import dev.tally.event.EventName;
import dev.tally.summary.EventSummary;
import java.util.Optional;

/** A contact being matched: its fields, and its summary of each event name (empty: never done). */
public interface Candidate {
    Contact contact();

    Optional<EventSummary> summary(EventName name);
}
