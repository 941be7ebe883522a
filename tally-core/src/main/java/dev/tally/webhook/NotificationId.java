package dev.tally.webhook;

import static java.util.Objects.requireNonNull;

import dev.tally.workspace.RandomIds;
import java.time.Instant;
import java.util.Locale;

/**
 * A notification's id: {@code notif_}, the creation time in milliseconds as 12 hex digits, then 16
 * random hex digits. Ids therefore sort by creation time, which is the order deliveries are listed
 * in, and a receiver can use the id (also sent as {@code webhook-id}) to drop repeats.
 */
public record NotificationId(String value) implements Comparable<NotificationId> {
    public static final String PREFIX = "notif_";

    public NotificationId {
        requireNonNull(value, "value is null");
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException("not a notification id: " + value);
        }
    }

    public static boolean isWellFormed(String value) {
        if (!value.startsWith(PREFIX) || value.length() > 64) {
            return false;
        }
        // A loop, not a stream: ids are checked for every notification claimed from the outbox.
        for (int i = 0; i < value.length(); i++) {
            if (!SubscriptionId.allowed(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public static NotificationId at(Instant createdAt) {
        return new NotificationId(
                PREFIX + String.format(Locale.ROOT, "%012x", createdAt.toEpochMilli()) + RandomIds.hex(8));
    }

    @Override
    public int compareTo(NotificationId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
