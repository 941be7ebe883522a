package dev.tally.webhook;

import java.util.Optional;

/** What a notification is about. Subscriptions take {@code event.created}; {@code ping} is sent on request. */
public enum Topic {
    EVENT_CREATED("event.created"),
    PING("ping");

    private final String wireName;

    Topic(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Topic> fromWireName(String name) {
        for (Topic topic : values()) {
            if (topic.wireName.equals(name)) {
                return Optional.of(topic);
            }
        }
        return Optional.empty();
    }
}
