package dev.tally.service;

import static java.util.Objects.requireNonNull;

import dev.tally.error.ErrorCode;
import dev.tally.error.InputText;
import dev.tally.error.TallyException;
import dev.tally.event.EventName;
import dev.tally.segment.Segment;
import dev.tally.segment.SegmentId;
import dev.tally.storage.TallyStore;
import dev.tally.storage.WebhookStore;
import dev.tally.webhook.DeliveryStatus;
import dev.tally.webhook.Notification;
import dev.tally.webhook.NotificationId;
import dev.tally.webhook.Subscription;
import dev.tally.webhook.SubscriptionId;
import dev.tally.workspace.WorkspaceId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Webhook subscriptions of a workspace: create, list, read, delete, ping, and the notifications
 * sent to each (recent deliveries, resend). Delivery itself belongs to a {@link Delivery}: the
 * server's dispatcher, which sends what the store's outbox holds.
 */
public final class SubscriptionService {
    /** Decides whether a URL may receive webhooks (the SSRF guard), and returns it normalized. */
    @FunctionalInterface
    public interface EndpointPolicy {
        /** Throws a {@link TallyException} naming the field {@code url} when it may not be used. */
        String check(String url);
    }

    /** What sends notifications. */
    public interface Delivery {
        /** Attempts a new notification once, now, stores it with the outcome and returns it (a ping). */
        Notification sendNow(Subscription subscription, Notification notification);

        /** Something became due (a resend): look at the outbox now rather than at the next poll. */
        void wake();

        /**
         * A subscription was created or deleted here: take the subscriptions in now rather than at
         * the next periodic look (a new subscription's first notifications would wait for it).
         */
        void subscriptionsChanged();
    }

    public static final int MAX_SUBSCRIPTIONS_PER_WORKSPACE = 100;

    private final WebhookStore store;
    private final EndpointPolicy policy;
    private final Delivery delivery;
    private final SegmentService segments;
    private final Clock clock;

    public SubscriptionService(
            TallyStore store, EndpointPolicy policy, Delivery delivery, SegmentService segments, Clock clock) {
        this.store = requireNonNull(store, "store is null").webhooks();
        this.policy = requireNonNull(policy, "policy is null");
        this.delivery = requireNonNull(delivery, "delivery is null");
        this.segments = requireNonNull(segments, "segments is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Subscribes {@code url} to {@code event.created} for these event names (normalized as events are). */
    public Subscription create(WorkspaceId workspaceId, String url, List<String> eventNames) {
        return create(workspaceId, url, eventNames, Optional.empty());
    }

    /**
     * Subscribes {@code url} to {@code event.created} for these event names, and, with a segment id,
     * only for the contacts in that segment of the workspace (400 naming {@code segment_id} when the
     * workspace has no such segment).
     */
    public Subscription create(
            WorkspaceId workspaceId, String url, List<String> eventNames, Optional<String> segmentId) {
        String checked = policy.check(url);
        List<EventName> names = eventNames(eventNames);
        Optional<SegmentId> segment = segmentId.map(id -> segments.find(workspaceId, id)
                .map(Segment::id)
                .orElseThrow(() -> TallyException.invalid(
                        "segment_id", "segment_id " + InputText.abbreviate(id) + ": no such segment")));
        if (store.listSubscriptions(workspaceId).size() >= MAX_SUBSCRIPTIONS_PER_WORKSPACE) {
            throw new TallyException(
                    ErrorCode.CONFLICT,
                    "a workspace has at most " + MAX_SUBSCRIPTIONS_PER_WORKSPACE + " subscriptions; delete one first");
        }
        Subscription subscription = new Subscription(
                SubscriptionId.random(),
                workspaceId,
                checked,
                names,
                Subscription.newHubSecret(),
                true,
                clock.instant(),
                Optional.empty(),
                Optional.empty(),
                segment);
        store.insertSubscription(subscription);
        delivery.subscriptionsChanged();
        return subscription;
    }

    private static List<EventName> eventNames(List<String> given) {
        if (given.isEmpty()) {
            throw TallyException.missing(
                    "metadata.event_names",
                    "metadata.event_names must list the event names to notify of (event.created needs at least one)");
        }
        Set<EventName> names = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String raw = given.get(i);
            String field = "metadata.event_names[" + i + "]";
            if (raw.isBlank() || raw.strip().length() > EventName.MAX_LENGTH || InputText.hasControlCharacter(raw)) {
                throw TallyException.invalid(
                        field, field + " must be an event name of 1-" + EventName.MAX_LENGTH + " characters");
            }
            names.add(EventName.of(raw));
        }
        if (names.size() > Subscription.MAX_EVENT_NAMES) {
            throw TallyException.invalid(
                    "metadata.event_names",
                    "metadata.event_names lists at most " + Subscription.MAX_EVENT_NAMES + " names");
        }
        return new ArrayList<>(names);
    }

    public List<Subscription> list(WorkspaceId workspaceId) {
        return store.listSubscriptions(workspaceId);
    }

    public Subscription get(WorkspaceId workspaceId, String id) {
        return subscriptionId(id)
                .flatMap(subscription -> store.findSubscription(workspaceId, subscription))
                .orElseThrow(() -> notFound("subscription", id));
    }

    /** Deletes a subscription and every notification still owed to it. */
    public Subscription delete(WorkspaceId workspaceId, String id) {
        Subscription subscription = get(workspaceId, id);
        if (!store.deleteSubscription(workspaceId, subscription.id())) {
            throw notFound("subscription", id);
        }
        delivery.subscriptionsChanged();
        return subscription;
    }

    /**
     * Sends a {@code ping} now and answers its outcome. A ping is sent to an inactive subscription
     * too, and when it succeeds the subscription is active again: the way back after a 410 or a
     * long outage.
     */
    public Notification ping(WorkspaceId workspaceId, String id) {
        Subscription subscription = get(workspaceId, id);
        // Stored only once sent, with its outcome: stored before, it would be due, and the
        // dispatcher could send it a second time.
        return delivery.sendNow(subscription, Notification.ping(workspaceId, subscription.id(), clock.instant()));
    }

    /** A subscription's notifications, newest first, older than {@code before} if given. */
    public List<Notification> deliveries(WorkspaceId workspaceId, String id, Optional<String> before, int limit) {
        Subscription subscription = get(workspaceId, id);
        Optional<NotificationId> cursor = before.map(value -> notificationId(value)
                .orElseThrow(() -> TallyException.invalid("before", "before must be a notification id")));
        return store.listNotifications(workspaceId, subscription.id(), cursor, limit);
    }

    public Notification notification(WorkspaceId workspaceId, String subscriptionId, String id) {
        Subscription subscription = get(workspaceId, subscriptionId);
        return notificationId(id)
                .flatMap(notification -> store.findNotification(workspaceId, subscription.id(), notification))
                .orElseThrow(() -> notFound("notification", id));
    }

    /**
     * Sends a delivered, failed or skipped notification again, with the same id (so a receiver that
     * did get it can drop it), as soon as the dispatcher gets to it. Its attempts go on counting. A
     * skipped one was never attempted, so it is checked against the subscription's segment again.
     */
    public Notification resend(WorkspaceId workspaceId, String subscriptionId, String id) {
        Subscription subscription = get(workspaceId, subscriptionId);
        Notification notification = notification(workspaceId, subscriptionId, id);
        if (notification.status() == DeliveryStatus.PENDING) {
            throw new TallyException(
                    ErrorCode.CONFLICT, "notification " + id + " is still pending; it will be attempted again", "id");
        }
        if (!subscription.active()) {
            throw new TallyException(
                    ErrorCode.CONFLICT,
                    "subscription " + subscriptionId + " is inactive; ping it successfully to activate it, then resend",
                    "id");
        }
        Notification requeued = notification.requeued(clock.instant());
        if (!store.updateNotification(requeued)) {
            throw notFound("notification", id);
        }
        delivery.wake();
        return requeued;
    }

    private static Optional<SubscriptionId> subscriptionId(String id) {
        return SubscriptionId.isWellFormed(id) ? Optional.of(new SubscriptionId(id)) : Optional.empty();
    }

    private static Optional<NotificationId> notificationId(String id) {
        return NotificationId.isWellFormed(id) ? Optional.of(new NotificationId(id)) : Optional.empty();
    }

    private static TallyException notFound(String what, String id) {
        return new TallyException(ErrorCode.NOT_FOUND, "No such " + what + "[" + InputText.abbreviate(id) + "]", "id");
    }
}
