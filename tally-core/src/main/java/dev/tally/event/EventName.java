package dev.tally.event;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A normalized event name: Intercom treats names case-insensitively and turns {@code .} and
 * {@code $} into {@code -}, so {@code Completed.Order} is stored as {@code completed-order}.
 */
public record EventName(String value) implements Comparable<EventName> {
    public static final int MAX_LENGTH = 255;

    public EventName {
        requireNonNull(value, "value is null");
        if (!value.equals(normalize(value))) {
            throw new IllegalArgumentException("event name is not normalized: " + value);
        }
        if (value.isBlank() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("event name must be 1-" + MAX_LENGTH + " characters");
        }
    }

    /** Normalizes a name as sent; throws {@link IllegalArgumentException} if it is blank or too long. */
    public static EventName of(String raw) {
        return new EventName(normalize(raw));
    }

    static String normalize(String raw) {
        return raw.strip().toLowerCase(Locale.ROOT).replace('.', '-').replace('$', '-');
    }

    @Override
    public int compareTo(EventName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
