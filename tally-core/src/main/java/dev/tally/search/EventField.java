package dev.tally.search;

import static java.util.Objects.requireNonNull;

import dev.tally.event.EventName;
import java.util.Locale;

/**
 * {@code events.<name>.count|first|last}: how many events of that name a contact has, and the
 * {@code created_at} of its first and last. A contact that never did the event has count 0 and no
 * first or last.
 */
public record EventField(EventName name, Aspect aspect) implements Field {
    /** What of the contact's summary the field reads. */
    public enum Aspect {
        COUNT(ValueType.NUMBER),
        FIRST(ValueType.DATE),
        LAST(ValueType.DATE);

        private final ValueType type;

        Aspect(ValueType type) {
            this.type = type;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public EventField {
        requireNonNull(name, "name is null");
        requireNonNull(aspect, "aspect is null");
    }

    @Override
    public ValueType type() {
        return aspect.type;
    }

    @Override
    public String wireName() {
        return "events." + name.value() + "." + aspect.wireName();
    }
}
