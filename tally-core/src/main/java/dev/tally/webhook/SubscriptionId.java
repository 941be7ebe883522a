package dev.tally.webhook;

import static java.util.Objects.requireNonNull;

import dev.tally.workspace.RandomIds;

/** A subscription's id, {@code nsub_} and 24 hex characters as at Intercom. */
public record SubscriptionId(String value) {
    public static final String PREFIX = "nsub_";

    public SubscriptionId {
        requireNonNull(value, "value is null");
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException("not a subscription id: " + value);
        }
    }

    /** True for a string that could be a subscription id; anything else is unknown, never an error. */
    public static boolean isWellFormed(String value) {
        return value.startsWith(PREFIX) && value.length() <= 64 && value.chars().allMatch(SubscriptionId::allowed);
    }

    static boolean allowed(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }

    public static SubscriptionId random() {
        return new SubscriptionId(PREFIX + RandomIds.hex(12));
    }

    @Override
    public String toString() {
        return value;
    }
}
