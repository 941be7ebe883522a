package dev.tally.storage;

import dev.tally.event.DataEvent;
import dev.tally.event.EventName;
import dev.tally.webhook.Notification;
import dev.tally.webhook.Subscription;
import dev.tally.webhook.SubscriptionId;
import dev.tally.workspace.WorkspaceId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a store's {@code append} asks, per stored event: which notifications to write in the same
 * commit. It holds, per workspace and event name, the active subscriptions that want it, replaced
 * whole whenever subscriptions change, so the question costs one volatile read and a map lookup and
 * nothing at all while no subscription exists.
 */
public final class WebhookOutbox {
    private final Clock clock;
    private volatile Map<WorkspaceId, Map<EventName, List<SubscriptionId>>> wanted = Map.of();

    public WebhookOutbox(Clock clock) {
        this.clock = clock;
    }

    public WebhookOutbox() {
        this(Clock.systemUTC());
    }

    /** Replaces what is known with these subscriptions (inactive ones want nothing). */
    public void load(Collection<Subscription> subscriptions) {
        Map<WorkspaceId, Map<EventName, List<SubscriptionId>>> index = new HashMap<>();
        for (Subscription subscription : subscriptions) {
            if (!subscription.active()) {
                continue;
            }
            Map<EventName, List<SubscriptionId>> byName =
                    index.computeIfAbsent(subscription.workspaceId(), w -> new HashMap<>());
            for (EventName name : subscription.eventNames()) {
                byName.computeIfAbsent(name, n -> new ArrayList<>()).add(subscription.id());
            }
        }
        wanted = Map.copyOf(index);
    }

    /** True while some subscription is active: a store may skip all outbox work otherwise. */
    public boolean isActive() {
        return !wanted.isEmpty();
    }

    /** The notifications owed for an event that this commit stores (not for a duplicate). */
    public List<Notification> notificationsFor(DataEvent stored) {
        List<SubscriptionId> subscriptions = subscriptionsFor(stored);
        if (subscriptions.isEmpty()) {
            return List.of();
        }
        java.time.Instant now = clock.instant();
        List<Notification> notifications = new ArrayList<>(subscriptions.size());
        for (SubscriptionId subscription : subscriptions) {
            notifications.add(Notification.ofEvent(subscription, stored, now));
        }
        return notifications;
    }

    /**
     * The subscriptions owed a notification for an event that this commit stores: for a store that
     * writes only a reference to the event in the commit and the notifications themselves later.
     */
    public List<SubscriptionId> subscriptionsFor(DataEvent stored) {
        Map<WorkspaceId, Map<EventName, List<SubscriptionId>>> current = wanted;
        if (current.isEmpty()) {
            return List.of();
        }
        Map<EventName, List<SubscriptionId>> byName = current.get(stored.workspaceId());
        if (byName == null) {
            return List.of();
        }
        List<SubscriptionId> subscriptions = byName.get(stored.name());
        return subscriptions == null ? List.of() : subscriptions;
    }
}
