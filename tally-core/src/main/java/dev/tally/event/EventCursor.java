package dev.tally.event;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A position in a contact's event list, which is ordered by {@code createdAt} descending, then name
 * ascending. A page continues strictly after its cursor, so events arriving meanwhile (newer ones
 * sort before it) never shift or repeat what the next page shows.
 */
public record EventCursor(long createdAt, EventName name) {
    public EventCursor {
        requireNonNull(name, "name is null");
    }

    public static EventCursor after(DataEvent event) {
        return new EventCursor(event.createdAt(), event.name());
    }

    /** True when {@code event} sorts strictly after this cursor. */
    public boolean precedes(DataEvent event) {
        if (event.createdAt() != createdAt) {
            return event.createdAt() < createdAt;
        }
        return event.name().compareTo(name) > 0;
    }

    public String encode() {
        String plain = createdAt + ":" + name.value();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    public static Optional<EventCursor> decode(String token) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            return Optional.of(new EventCursor(
                    Long.parseLong(plain.substring(0, colon)), EventName.of(plain.substring(colon + 1))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
