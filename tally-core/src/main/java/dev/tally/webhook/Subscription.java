package dev.tally.webhook;

import static java.util.Objects.requireNonNull;

import dev.tally.event.EventName;
import dev.tally.segment.SegmentId;
import dev.tally.workspace.RandomIds;
import dev.tally.workspace.WorkspaceId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A subscription of a workspace to {@code event.created} for some event names, sent to {@code url}
 * and signed with {@code hubSecret}. An inactive subscription gets no new notifications; it becomes
 * inactive when its endpoint answers 410 or keeps failing ({@code failingSince} is when the current
 * run of failures began), and active again when a ping succeeds. With a {@code segmentId}, only
 * events of contacts in that segment when the notification is delivered are sent; the others are
 * skipped ({@link DeliveryStatus#SKIPPED}).
 */
public record Subscription(
        SubscriptionId id,
        WorkspaceId workspaceId,
        String url,
        List<EventName> eventNames,
        String hubSecret,
        boolean active,
        Instant createdAt,
        Optional<Instant> failingSince,
        Optional<String> inactiveReason,
        Optional<SegmentId> segmentId) {
    public static final int MAX_EVENT_NAMES = 100;

    public Subscription {
        requireNonNull(id, "id is null");
        requireNonNull(workspaceId, "workspaceId is null");
        requireNonNull(url, "url is null");
        eventNames = List.copyOf(eventNames);
        requireNonNull(hubSecret, "hubSecret is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(failingSince, "failingSince is null");
        requireNonNull(inactiveReason, "inactiveReason is null");
        requireNonNull(segmentId, "segmentId is null");
        if (eventNames.isEmpty() || eventNames.size() > MAX_EVENT_NAMES) {
            throw new IllegalArgumentException("a subscription needs 1-" + MAX_EVENT_NAMES + " event names");
        }
    }

    /** A subscription for every contact (no segment). */
    public Subscription(
            SubscriptionId id,
            WorkspaceId workspaceId,
            String url,
            List<EventName> eventNames,
            String hubSecret,
            boolean active,
            Instant createdAt,
            Optional<Instant> failingSince,
            Optional<String> inactiveReason) {
        this(
                id,
                workspaceId,
                url,
                eventNames,
                hubSecret,
                active,
                createdAt,
                failingSince,
                inactiveReason,
                Optional.empty());
    }

    /**
     * 48 random hex characters: the key of {@code X-Hub-Signature} as text, and, read as base64, the
     * 36-byte key of the Standard Webhooks signature, so {@code "whsec_" + hubSecret} works with
     * the Standard Webhooks libraries.
     */
    public static String newHubSecret() {
        return RandomIds.hex(24);
    }

    public boolean wants(EventName name) {
        return active && eventNames.contains(name);
    }

    public Subscription deactivated(String reason) {
        return new Subscription(
                id,
                workspaceId,
                url,
                eventNames,
                hubSecret,
                false,
                createdAt,
                failingSince,
                Optional.of(reason),
                segmentId);
    }

    public Subscription reactivated() {
        return new Subscription(
                id,
                workspaceId,
                url,
                eventNames,
                hubSecret,
                true,
                createdAt,
                Optional.empty(),
                Optional.empty(),
                segmentId);
    }

    public Subscription failingSince(Instant since) {
        return new Subscription(
                id,
                workspaceId,
                url,
                eventNames,
                hubSecret,
                active,
                createdAt,
                Optional.of(since),
                inactiveReason,
                segmentId);
    }

    /** This subscription notifying only for the members of {@code segment}. */
    public Subscription withSegment(SegmentId segment) {
        return new Subscription(
                id,
                workspaceId,
                url,
                eventNames,
                hubSecret,
                active,
                createdAt,
                failingSince,
                inactiveReason,
                Optional.of(segment));
    }

    @Override
    public String toString() {
        // hub_secret stays out of every log line.
        return "Subscription[" + id + " of " + workspaceId + " to " + url + ", active=" + active + "]";
    }
}
