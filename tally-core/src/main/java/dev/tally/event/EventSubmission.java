package dev.tally.event;

import static java.util.Objects.requireNonNull;

import dev.tally.contact.ContactRef;
import dev.tally.metadata.Metadata;
import java.util.List;

/**
 * A valid event as a client sent it, before its contact is resolved. {@code keysOverLimit} are the
 * metadata keys past the per-event limit, already dropped.
 */
public record EventSubmission(
        EventName name, long createdAt, ContactRef contact, Metadata metadata, List<String> keysOverLimit) {
    public EventSubmission {
        requireNonNull(name, "name is null");
        requireNonNull(contact, "contact is null");
        requireNonNull(metadata, "metadata is null");
        keysOverLimit = List.copyOf(keysOverLimit);
        if (createdAt < 0) {
            throw new IllegalArgumentException("createdAt must be >= 0");
        }
    }
}
