package dev.tally.storage;

import static java.util.Objects.requireNonNull;

import dev.tally.webhook.Notification;
import dev.tally.webhook.NotificationId;
import dev.tally.webhook.Subscription;
import dev.tally.webhook.SubscriptionId;
import dev.tally.workspace.WorkspaceId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The webhook part of the store ({@link TallyStore#webhooks()}): subscriptions, and the outbox of
 * notifications with their delivery state.
 *
 * <p>Notifications of {@code event.created} are not inserted through this interface: the store's
 * {@link TallyStore#append} writes them in the same commit as their event, through {@link
 * WebhookOutbox}, one per active subscription that wants the event's name, none for a duplicate. So
 * an event that was acknowledged has its notifications durably queued, crash or not.
 *
 * <p>Several processes may share one store (PostgreSQL): {@link #claimDue} leases what it returns,
 * and a notification is claimed by one caller at a time until its lease ends or it is updated.
 */
public interface WebhookStore {

    // ---- subscriptions

    void insertSubscription(Subscription subscription);

    Optional<Subscription> findSubscription(WorkspaceId workspaceId, SubscriptionId id);

    /** A workspace's subscriptions, oldest first. */
    List<Subscription> listSubscriptions(WorkspaceId workspaceId);

    /** Every subscription of every workspace, for the delivery service. */
    List<Subscription> allSubscriptions();

    /** Replaces a subscription (its state); false if it does not exist. */
    boolean updateSubscription(Subscription subscription);

    /** Deletes a subscription with all its notifications; false if it did not exist. */
    boolean deleteSubscription(WorkspaceId workspaceId, SubscriptionId id);

    // ---- notifications

    /** Inserts a notification made outside an append (a ping). */
    void insertNotification(Notification notification);

    Optional<Notification> findNotification(WorkspaceId workspaceId, SubscriptionId subscription, NotificationId id);

    /** A subscription's notifications, newest first, strictly older than {@code before}; at most {@code limit}. */
    List<Notification> listNotifications(
            WorkspaceId workspaceId, SubscriptionId subscription, Optional<NotificationId> before, int limit);

    /** How many notifications a {@link #claimDue} may take from one subscription. */
    record Slots(WorkspaceId workspaceId, SubscriptionId subscriptionId, int max) {
        public Slots {
            requireNonNull(workspaceId, "workspaceId is null");
            requireNonNull(subscriptionId, "subscriptionId is null");
            if (max < 1) {
                throw new IllegalArgumentException("max must be >= 1");
            }
        }
    }

    /**
     * Pending notifications due at {@code now} (oldest due first) whose lease has ended, at most
     * {@code max} per listed subscription, each leased until {@code leaseUntil}. A lease ends early
     * when the notification is updated.
     */
    List<Notification> claimDue(List<Slots> slots, Instant now, Instant leaseUntil);

    /** Replaces a notification's state after an attempt or a resend, ending its lease; false if it is gone. */
    boolean updateNotification(Notification notification);

    /** An attempt's outcome: the notification as claimed and as it is after the attempt. */
    record Attempted(Notification claimed, Notification after) {
        public Attempted {
            requireNonNull(claimed, "claimed is null");
            requireNonNull(after, "after is null");
            if (!claimed.id().equals(after.id()) || !claimed.subscriptionId().equals(after.subscriptionId())) {
                throw new IllegalArgumentException("claimed and after are not the same notification");
            }
        }
    }

    /**
     * Records the outcomes of attempts at claimed notifications, many in one write, ending their
     * leases; a notification whose subscription is gone stays gone. Unlike every other write this
     * one need not be durable when it returns: an outcome lost in a crash only means the
     * notification is attempted again, which at-least-once delivery allows, and not waiting for a
     * sync keeps the outbox's bookkeeping off the events' commit path.
     */
    void recordAttempts(List<Attempted> attempts);

    /** Deletes at most {@code limit} delivered or failed notifications last attempted before {@code before}. */
    int pruneFinished(Instant before, int limit);

    /** Pending notifications in the whole store (an estimate where the backend only estimates). */
    long countPending();
}
