package dev.tally.storage.memory;

import dev.tally.event.DataEvent;
import dev.tally.storage.WebhookOutbox;
import dev.tally.storage.WebhookStore;
import dev.tally.webhook.DeliveryStatus;
import dev.tally.webhook.Notification;
import dev.tally.webhook.NotificationId;
import dev.tally.webhook.Subscription;
import dev.tally.webhook.SubscriptionId;
import dev.tally.workspace.WorkspaceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The in-memory store's webhooks, under the same monitor as its events, so the outbox entries of an
 * append are written atomically with the events (what a commit is here).
 */
final class InMemoryWebhookStore implements WebhookStore {
    private record Key(WorkspaceId workspaceId, SubscriptionId subscriptionId) {}

    private final Object lock;
    private final Runnable requireOpen;
    private final WebhookOutbox outbox = new WebhookOutbox();
    private final Map<Key, Subscription> subscriptions = new LinkedHashMap<>();
    private final Map<Key, NavigableMap<NotificationId, Notification>> notifications = new HashMap<>();
    private final Map<NotificationId, Instant> leases = new HashMap<>();

    InMemoryWebhookStore(Object lock, Runnable requireOpen) {
        this.lock = lock;
        this.requireOpen = requireOpen;
    }

    /** Called by append, holding the lock, for each event it stores. */
    void queueFor(DataEvent stored) {
        for (Notification notification : outbox.notificationsFor(stored)) {
            put(notification);
        }
    }

    @Override
    public void insertSubscription(Subscription subscription) {
        synchronized (lock) {
            requireOpen.run();
            subscriptions.put(key(subscription), subscription);
            outbox.load(subscriptions.values());
        }
    }

    @Override
    public Optional<Subscription> findSubscription(WorkspaceId workspaceId, SubscriptionId id) {
        synchronized (lock) {
            requireOpen.run();
            return Optional.ofNullable(subscriptions.get(new Key(workspaceId, id)));
        }
    }

    @Override
    public List<Subscription> listSubscriptions(WorkspaceId workspaceId) {
        synchronized (lock) {
            requireOpen.run();
            return subscriptions.values().stream()
                    .filter(subscription -> subscription.workspaceId().equals(workspaceId))
                    .toList();
        }
    }

    @Override
    public List<Subscription> allSubscriptions() {
        synchronized (lock) {
            requireOpen.run();
            return List.copyOf(subscriptions.values());
        }
    }

    @Override
    public boolean updateSubscription(Subscription subscription) {
        synchronized (lock) {
            requireOpen.run();
            if (subscriptions.replace(key(subscription), subscription) == null) {
                return false;
            }
            outbox.load(subscriptions.values());
            return true;
        }
    }

    @Override
    public boolean deleteSubscription(WorkspaceId workspaceId, SubscriptionId id) {
        synchronized (lock) {
            requireOpen.run();
            Key key = new Key(workspaceId, id);
            if (subscriptions.remove(key) == null) {
                return false;
            }
            NavigableMap<NotificationId, Notification> removed = notifications.remove(key);
            if (removed != null) {
                removed.keySet().forEach(leases::remove);
            }
            outbox.load(subscriptions.values());
            return true;
        }
    }

    @Override
    public void insertNotification(Notification notification) {
        synchronized (lock) {
            requireOpen.run();
            put(notification);
        }
    }

    @Override
    public Optional<Notification> findNotification(
            WorkspaceId workspaceId, SubscriptionId subscription, NotificationId id) {
        synchronized (lock) {
            requireOpen.run();
            return Optional.ofNullable(
                    notificationsOf(new Key(workspaceId, subscription)).get(id));
        }
    }

    @Override
    public List<Notification> listNotifications(
            WorkspaceId workspaceId, SubscriptionId subscription, Optional<NotificationId> before, int limit) {
        synchronized (lock) {
            requireOpen.run();
            NavigableMap<NotificationId, Notification> all = notificationsOf(new Key(workspaceId, subscription));
            Map<NotificationId, Notification> older = before.isPresent() ? all.headMap(before.get(), false) : all;
            List<Notification> page = new ArrayList<>(Math.min(limit, older.size()));
            Iterator<Notification> newestFirst = ((java.util.NavigableMap<NotificationId, Notification>) older)
                    .descendingMap()
                    .values()
                    .iterator();
            while (page.size() < limit && newestFirst.hasNext()) {
                page.add(newestFirst.next());
            }
            return List.copyOf(page);
        }
    }

    @Override
    public List<Notification> claimDue(List<Slots> slots, Instant now, Instant leaseUntil) {
        synchronized (lock) {
            requireOpen.run();
            List<Notification> claimed = new ArrayList<>();
            for (Slots slot : slots) {
                notificationsOf(new Key(slot.workspaceId(), slot.subscriptionId())).values().stream()
                        .filter(n -> n.status() == DeliveryStatus.PENDING
                                && !n.nextAttemptAt().isAfter(now))
                        .filter(n -> !leases.getOrDefault(n.id(), Instant.MIN).isAfter(now))
                        .sorted(Comparator.comparing(Notification::nextAttemptAt)
                                .thenComparing(Notification::id))
                        .limit(slot.max())
                        .forEach(claimed::add);
            }
            claimed.forEach(n -> leases.put(n.id(), leaseUntil));
            return List.copyOf(claimed);
        }
    }

    @Override
    public boolean updateNotification(Notification notification) {
        synchronized (lock) {
            requireOpen.run();
            NavigableMap<NotificationId, Notification> all = notificationsOf(key(notification));
            if (!all.containsKey(notification.id())) {
                return false;
            }
            all.put(notification.id(), notification);
            leases.remove(notification.id());
            return true;
        }
    }

    @Override
    public void recordAttempts(List<Attempted> attempts) {
        synchronized (lock) {
            requireOpen.run();
            for (Attempted attempt : attempts) {
                NavigableMap<NotificationId, Notification> all = notifications.get(key(attempt.after()));
                if (all != null && all.containsKey(attempt.after().id())) {
                    all.put(attempt.after().id(), attempt.after());
                }
                leases.remove(attempt.after().id());
            }
        }
    }

    @Override
    public int pruneFinished(Instant before, int limit) {
        synchronized (lock) {
            requireOpen.run();
            int pruned = 0;
            for (NavigableMap<NotificationId, Notification> all : notifications.values()) {
                Iterator<Notification> iterator = all.values().iterator();
                while (pruned < limit && iterator.hasNext()) {
                    Notification notification = iterator.next();
                    if (notification.status() != DeliveryStatus.PENDING
                            && notification
                                    .lastAttemptAt()
                                    .orElse(notification.createdAt())
                                    .isBefore(before)) {
                        iterator.remove();
                        pruned++;
                    }
                }
            }
            return pruned;
        }
    }

    @Override
    public long countPending() {
        synchronized (lock) {
            requireOpen.run();
            return notifications.values().stream()
                    .flatMap(all -> all.values().stream())
                    .filter(n -> n.status() == DeliveryStatus.PENDING)
                    .count();
        }
    }

    private void put(Notification notification) {
        notificationsOf(key(notification)).put(notification.id(), notification);
    }

    private NavigableMap<NotificationId, Notification> notificationsOf(Key key) {
        return notifications.computeIfAbsent(key, k -> new TreeMap<>());
    }

    private static Key key(Subscription subscription) {
        return new Key(subscription.workspaceId(), subscription.id());
    }

    private static Key key(Notification notification) {
        return new Key(notification.workspaceId(), notification.subscriptionId());
    }
}
