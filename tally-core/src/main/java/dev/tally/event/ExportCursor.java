package dev.tally.event;

import static java.util.Objects.requireNonNull;

import dev.tally.contact.ContactId;
import dev.tally.error.TallyException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Where a page of an export stopped: the contact being read and the position within its events. */
public record ExportCursor(ContactId contact, Optional<EventCursor> after) {
    public ExportCursor {
        requireNonNull(contact, "contact is null");
        requireNonNull(after, "after is null");
    }

    public String encode() {
        String plain = contact.value() + "|" + after.map(EventCursor::encode).orElse("");
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a token {@link #encode} made; a 400 naming {@code cursor} for anything else. */
    public static ExportCursor decode(String token) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int bar = plain.indexOf('|');
            String eventPart = plain.substring(bar + 1);
            Optional<EventCursor> after = eventPart.isEmpty() ? Optional.empty() : EventCursor.decode(eventPart);
            if (bar <= 0 || (!eventPart.isEmpty() && after.isEmpty())) {
                throw new IllegalArgumentException("bad cursor");
            }
            return new ExportCursor(new ContactId(plain.substring(0, bar)), after);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw TallyException.invalid("cursor", "cursor is not one Tally issued");
        }
    }
}
