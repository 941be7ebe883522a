package dev.tally.summary;

import static java.util.Objects.requireNonNull;

import dev.tally.contact.ContactId;

/** One entry of an event name's index: a contact that did the event, and its summary of it. */
public record ContactSummary(ContactId contactId, EventSummary summary) {
    public ContactSummary {
        requireNonNull(contactId, "contactId is null");
        requireNonNull(summary, "summary is null");
    }
}
