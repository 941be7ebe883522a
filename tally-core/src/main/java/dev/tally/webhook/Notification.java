package dev.tally.webhook;

import static java.util.Objects.requireNonNull;

import dev.tally.event.DataEvent;
import dev.tally.workspace.WorkspaceId;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A notification owed to one subscription: the outbox entry, written in the same commit as its
 * event, and the state of its delivery. {@code event} is the stored event for {@code event.created}
 * (metadata as kept), empty for {@code ping}. {@code attempts} counts attempts made;
 * {@code nextAttemptAt} matters only while {@code PENDING}. {@code lastResponse} is a short excerpt
 * of the receiver's answer or the reason the attempt failed, never the whole body.
 */
public record Notification(
        NotificationId id,
        WorkspaceId workspaceId,
        SubscriptionId subscriptionId,
        Topic topic,
        Optional<DataEvent> event,
        Instant createdAt,
        DeliveryStatus status,
        int attempts,
        Instant nextAttemptAt,
        Optional<Instant> firstSentAt,
        Optional<Instant> lastAttemptAt,
        Optional<Instant> deliveredAt,
        OptionalInt lastResponseCode,
        Optional<String> lastResponse) {
    /** The longest excerpt of a receiver's answer that is kept. */
    public static final int MAX_EXCERPT = 256;

    public Notification {
        requireNonNull(id, "id is null");
        requireNonNull(workspaceId, "workspaceId is null");
        requireNonNull(subscriptionId, "subscriptionId is null");
        requireNonNull(topic, "topic is null");
        requireNonNull(event, "event is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(status, "status is null");
        requireNonNull(nextAttemptAt, "nextAttemptAt is null");
        requireNonNull(firstSentAt, "firstSentAt is null");
        requireNonNull(lastAttemptAt, "lastAttemptAt is null");
        requireNonNull(deliveredAt, "deliveredAt is null");
        requireNonNull(lastResponseCode, "lastResponseCode is null");
        lastResponse = requireNonNull(lastResponse, "lastResponse is null").map(Notification::excerpt);
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must be >= 0");
        }
        if ((topic == Topic.EVENT_CREATED) != event.isPresent()) {
            throw new IllegalArgumentException("event.created carries its event, ping none");
        }
    }

    /** A new notification of {@code event} for {@code subscription}, due at once. */
    public static Notification ofEvent(SubscriptionId subscription, DataEvent event, Instant now) {
        return due(
                NotificationId.at(now),
                event.workspaceId(),
                subscription,
                Topic.EVENT_CREATED,
                Optional.of(event),
                now);
    }

    public static Notification ping(WorkspaceId workspaceId, SubscriptionId subscription, Instant now) {
        return due(NotificationId.at(now), workspaceId, subscription, Topic.PING, Optional.empty(), now);
    }

    private static Notification due(
            NotificationId id,
            WorkspaceId workspaceId,
            SubscriptionId subscription,
            Topic topic,
            Optional<DataEvent> event,
            Instant now) {
        return new Notification(
                id,
                workspaceId,
                subscription,
                topic,
                event,
                now,
                DeliveryStatus.PENDING,
                0,
                now,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                OptionalInt.empty(),
                Optional.empty());
    }

    /** This notification after an attempt at {@code at} that ended in {@code status}. */
    public Notification attempted(
            Instant at,
            DeliveryStatus status,
            Instant nextAttemptAt,
            OptionalInt responseCode,
            Optional<String> response) {
        return new Notification(
                id,
                workspaceId,
                subscriptionId,
                topic,
                event,
                createdAt,
                status,
                attempts + 1,
                nextAttemptAt,
                Optional.of(firstSentAt.orElse(at)),
                Optional.of(at),
                status == DeliveryStatus.DELIVERED ? Optional.of(at) : deliveredAt,
                responseCode,
                response);
    }

    /** Pending again from {@code at}, for a resend; what was recorded so far stays. */
    public Notification requeued(Instant at) {
        return new Notification(
                id,
                workspaceId,
                subscriptionId,
                topic,
                event,
                createdAt,
                DeliveryStatus.PENDING,
                attempts,
                at,
                firstSentAt,
                lastAttemptAt,
                deliveredAt,
                lastResponseCode,
                lastResponse);
    }

    /**
     * Settled at {@code at} without an attempt, never retried: its subscription's segment did not
     * hold the event's contact. {@code lastAttemptAt} is when that was decided (retention counts from
     * it), {@code lastResponse} the reason ({@code not_in_segment}, {@code segment_deleted}).
     */
    public Notification skipped(Instant at, String reason) {
        return new Notification(
                id,
                workspaceId,
                subscriptionId,
                topic,
                event,
                createdAt,
                DeliveryStatus.SKIPPED,
                attempts,
                nextAttemptAt,
                firstSentAt,
                Optional.of(at),
                deliveredAt,
                OptionalInt.empty(),
                Optional.of(reason));
    }

    /** Given up on without another attempt (its subscription was deactivated or deleted). */
    public Notification abandoned(String reason) {
        return new Notification(
                id,
                workspaceId,
                subscriptionId,
                topic,
                event,
                createdAt,
                DeliveryStatus.FAILED,
                attempts,
                nextAttemptAt,
                firstSentAt,
                lastAttemptAt,
                deliveredAt,
                lastResponseCode,
                Optional.of(reason));
    }

    static String excerpt(String text) {
        if (text.length() <= MAX_EXCERPT) {
            return text;
        }
        int end = MAX_EXCERPT;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }
}
