package dev.tally.webhook;

import java.util.Optional;

/**
 * Where a notification stands: still owed, delivered (a 2xx), given up on, or skipped without an
 * attempt (its subscription has a segment and the event's contact was not in it when it was due).
 */
public enum DeliveryStatus {
    PENDING("pending"),
    DELIVERED("delivered"),
    FAILED("failed"),
    SKIPPED("skipped");

    private final String wireName;

    DeliveryStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<DeliveryStatus> fromWireName(String name) {
        for (DeliveryStatus status : values()) {
            if (status.wireName.equals(name)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
