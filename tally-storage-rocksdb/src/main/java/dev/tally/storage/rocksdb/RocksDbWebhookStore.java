package dev.tally.storage.rocksdb;

import dev.tally.event.DataEvent;
import dev.tally.storage.WebhookCodec;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The RocksDB store's webhooks. A notification is one record ({@link Column#WEBHOOK_NOTIFICATIONS})
 * plus one index entry: by due time while pending ({@link Column#WEBHOOK_DUE}), by finish time once
 * delivered or failed ({@link Column#WEBHOOK_FINISHED}). Every write goes through the store's single
 * writer. Leases live in memory: one process owns a RocksDB directory, and after a restart nothing
 * is in flight.
 *
 * <p><b>The outbox.</b> An append does not write notifications: {@link #queue} notes, in the
 * command's deltas, each stored event some subscription is owed a notification for, and when the
 * batch ends {@link #writeOutbox} writes one {@link Column#WEBHOOK_OUTBOX} record for the whole
 * batch (the events' keys and values as stored, the subscriptions owed each), in the same
 * WriteBatch as the events, so it is exactly as durable as they are. The notifications are made
 * from these records off the ingest path, by {@link #materialize}: the dispatcher's claims make as
 * many as they could take (so while deliveries yield to ingest, so does this), and listing, finding
 * or counting makes or counts the rest. Making them deletes the records in the same write that adds
 * the notifications, so each is made exactly once. Writing a notification and its index entry with
 * a copy of the event in every event's commit had cost ingest about a sixth of its speed with one
 * subscription (encoding, two puts, a larger write, and the flushes and compactions of it all).
 */
final class RocksDbWebhookStore implements WebhookStore {
    /** Past this many pending notifications the gauge stops counting: a scan of the due index costs. */
    static final long MAX_COUNTED = 1_000_000;

    /** Outbox records made into notifications at most this many at a time (whole records). */
    static final int MATERIALIZE_CHUNK = 10_000;

    private final RocksDbStore store;
    private final WebhookOutbox outbox = new WebhookOutbox();
    private final Map<NotificationId, Instant> leases = new ConcurrentHashMap<>();

    /**
     * Where each subscription's scan of the due index starts: every entry before it is gone. A
     * queue in RocksDB leaves a tombstone per delivered notification at the front of the index, and
     * a seek from the prefix walks all of them until compaction: with thousands delivered, every
     * claim (hundreds a second) cost that walk, and it capped one endpoint near 800 notifications a
     * second. A claim moves the cursor to the first entry it finds; every committed write of a due
     * entry puts a new cursor object no later than that entry (so a claim that scanned before the
     * commit cannot move it past the entry: it replaces only the object it started from).
     */
    private final Map<String, Cursor> cursors = new ConcurrentHashMap<>();

    private static final long FULL_SCAN_EVERY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    private volatile long lastFullScan = System.nanoTime();

    /** A scan's start, compared by identity: each change is a new object. */
    @SuppressWarnings("ClassCanBeRecord") // identity, not value, is what a claim compares
    private static final class Cursor {
        final long fromMillis;

        Cursor(long fromMillis) {
            this.fromMillis = fromMillis;
        }
    }

    /** The next outbox record's sequence number; the writer's alone. */
    private long nextRecord;
    /** The highest sequence number written so far (committed, or failed with its batch). */
    private volatile long lastRecord = -1;
    /**
     * Where {@link #materialize} reads from: every record before it is made (and deleted). Written
     * under {@code materializing}, read without it by the checks that skip a read when nothing is new.
     */
    private volatile long materializedTo;

    private final Object materializing = new Object();

    RocksDbWebhookStore(RocksDbStore store) {
        this.store = store;
    }

    /** Loads the subscriptions the outbox needs, and finds the outbox's end; called once the store is open. */
    void start() {
        outbox.load(allSubscriptions());
        try (RocksIterator iterator = store.db().newIterator(store.handle(Column.WEBHOOK_OUTBOX))) {
            iterator.seekToLast();
            if (iterator.isValid()) {
                lastRecord = recordNumber(iterator.key());
                nextRecord = lastRecord + 1;
            }
        }
    }

    /** Inside an append's command: notes the event it stores if a subscription is owed a notification. */
    void queue(Changes changes, DataEvent event, byte[] eventKey, byte[] eventValue) {
        List<SubscriptionId> owed = outbox.subscriptionsFor(event);
        if (!owed.isEmpty()) {
            changes.deltas().notify(eventKey, eventValue, owed);
        }
    }

    /**
     * On the writer, when a batch ends: one outbox record for the batch's owed notifications. Its
     * value: the time (ms; the notifications' creation and first due time), how many notifications
     * it owes, the number of events, then per event its key, its value, and its subscriptions.
     */
    void writeOutbox(List<Deltas.OutboxEntry> entries, Changes changes) {
        if (entries.isEmpty()) {
            return;
        }
        int owed = 0;
        for (Deltas.OutboxEntry entry : entries) {
            owed += entry.subscriptions().size();
        }
        ValueWriter value = new ValueWriter()
                .signed(System.currentTimeMillis())
                .unsigned(owed)
                .unsigned(entries.size());
        for (Deltas.OutboxEntry entry : entries) {
            value.bytes(entry.eventKey())
                    .bytes(entry.eventValue())
                    .unsigned(entry.subscriptions().size());
            for (SubscriptionId subscription : entry.subscriptions()) {
                value.string(subscription.value());
            }
        }
        long number = nextRecord++;
        changes.put(Column.WEBHOOK_OUTBOX, recordKey(number), value.build());
        lastRecord = number;
    }

    /**
     * Makes the notifications of outbox records, oldest record first, whole records until at least
     * {@code wanted} are made or none is left; returns how many were made. One write adds them and
     * deletes their records. A subscription deleted since is owed nothing.
     */
    int materialize(int wanted) {
        if (!outboxMayHoldRecords()) {
            return 0; // nothing written since the last time: no read at all
        }
        synchronized (materializing) {
            List<byte[]> records = new ArrayList<>();
            List<Notification> made = new ArrayList<>();
            long[] last = {-1};
            store.read(() -> {
                store.scanWhile(Column.WEBHOOK_OUTBOX, new byte[0], recordKey(materializedTo), (key, value) -> {
                    records.add(key);
                    last[0] = recordNumber(key);
                    ValueReader reader = new ValueReader(value);
                    Instant at = Instant.ofEpochMilli(reader.signed());
                    reader.unsigned(); // how many it owes
                    long events = reader.unsigned();
                    for (long e = 0; e < events; e++) {
                        DataEvent event = RocksDbStore.event(reader.bytes(), reader.bytes());
                        long subscriptions = reader.unsigned();
                        for (long i = 0; i < subscriptions; i++) {
                            made.add(Notification.ofEvent(new SubscriptionId(reader.string()), event, at));
                        }
                    }
                    return made.size() < wanted;
                });
                return records.size();
            });
            if (records.isEmpty()) {
                return 0;
            }
            store.write("make " + made.size() + " notifications", changes -> {
                Map<SubscriptionId, Boolean> exists = new HashMap<>();
                for (Notification notification : made) {
                    Boolean owed = exists.get(notification.subscriptionId());
                    if (owed == null) {
                        owed = changes.exists(
                                Column.WEBHOOK_SUBSCRIPTIONS,
                                Keys.of(
                                        notification.workspaceId().value(),
                                        notification.subscriptionId().value()));
                        exists.put(notification.subscriptionId(), owed);
                    }
                    if (owed) {
                        putNew(changes, notification);
                    }
                }
                for (byte[] record : records) {
                    changes.delete(Column.WEBHOOK_OUTBOX, record);
                }
                return records.size();
            });
            materializedTo = last[0] + 1;
            return made.size();
        }
    }

    /** Whether a record was written since the last one made: when not, the outbox is empty (no read needed). */
    private boolean outboxMayHoldRecords() {
        return lastRecord >= materializedTo;
    }

    /** Makes every owed notification (in chunks): before what must see them all, a listing or a lookup. */
    private void materializeAll() {
        while (materialize(MATERIALIZE_CHUNK) > 0) {
            // until none is left
        }
    }

    /** How many notifications the outbox records not yet made owe (at most {@code limit}). */
    private long owedInOutbox(long limit) throws RocksDBException {
        long[] owed = {0};
        store.scanWhile(Column.WEBHOOK_OUTBOX, new byte[0], recordKey(materializedTo), (key, value) -> {
            ValueReader reader = new ValueReader(value);
            reader.signed();
            owed[0] += reader.unsigned();
            return owed[0] < limit;
        });
        return owed[0];
    }

    private static byte[] recordKey(long number) {
        return Keys.key().longValue(number).build();
    }

    private static long recordNumber(byte[] key) {
        return new Keys.Reader(key, 0).longValue();
    }

    // ---- subscriptions

    @Override
    public void insertSubscription(Subscription subscription) {
        store.write("insert subscription " + subscription.id(), changes -> {
            changes.put(
                    Column.WEBHOOK_SUBSCRIPTIONS,
                    subscriptionKey(subscription),
                    WebhookCodec.subscription(subscription));
            return true;
        });
        outbox.load(allSubscriptions());
    }

    @Override
    public Optional<Subscription> findSubscription(WorkspaceId workspaceId, SubscriptionId id) {
        return store.read(() -> store.get(Column.WEBHOOK_SUBSCRIPTIONS, Keys.of(workspaceId.value(), id.value()))
                .map(WebhookCodec::subscription));
    }

    @Override
    public List<Subscription> listSubscriptions(WorkspaceId workspaceId) {
        return subscriptionsUnder(Keys.of(workspaceId.value()));
    }

    @Override
    public List<Subscription> allSubscriptions() {
        return subscriptionsUnder(new byte[0]);
    }

    private List<Subscription> subscriptionsUnder(byte[] prefix) {
        return store.read(() -> {
            List<Subscription> found = new ArrayList<>();
            store.scan(
                    Column.WEBHOOK_SUBSCRIPTIONS, prefix, (key, value) -> found.add(WebhookCodec.subscription(value)));
            found.sort(java.util.Comparator.comparing(Subscription::createdAt)
                    .thenComparing(subscription -> subscription.id().value()));
            return List.copyOf(found);
        });
    }

    @Override
    public boolean updateSubscription(Subscription subscription) {
        boolean updated = store.write("update subscription " + subscription.id(), changes -> {
            byte[] key = subscriptionKey(subscription);
            if (!changes.exists(Column.WEBHOOK_SUBSCRIPTIONS, key)) {
                return false;
            }
            changes.put(Column.WEBHOOK_SUBSCRIPTIONS, key, WebhookCodec.subscription(subscription));
            return true;
        });
        if (updated) {
            outbox.load(allSubscriptions());
        }
        return updated;
    }

    @Override
    public boolean deleteSubscription(WorkspaceId workspaceId, SubscriptionId id) {
        boolean deleted = store.write("delete subscription " + id, changes -> {
            byte[] key = Keys.of(workspaceId.value(), id.value());
            if (!changes.exists(Column.WEBHOOK_SUBSCRIPTIONS, key)) {
                return false;
            }
            changes.delete(Column.WEBHOOK_SUBSCRIPTIONS, key);
            changes.deletePrefix(Column.WEBHOOK_NOTIFICATIONS, key);
            changes.deletePrefix(Column.WEBHOOK_DUE, key);
            // Entries of WEBHOOK_FINISHED are left to pruning, which skips what is gone.
            return true;
        });
        if (deleted) {
            outbox.load(allSubscriptions());
        }
        return deleted;
    }

    // ---- notifications

    @Override
    public void insertNotification(Notification notification) {
        store.write("insert notification " + notification.id(), changes -> {
            putNew(changes, notification);
            return true;
        });
    }

    @Override
    public Optional<Notification> findNotification(
            WorkspaceId workspaceId, SubscriptionId subscription, NotificationId id) {
        materializeAll();
        return store.read(() -> store.get(Column.WEBHOOK_NOTIFICATIONS, notificationKey(workspaceId, subscription, id))
                .map(RocksDbWebhookStore::decode));
    }

    @Override
    public List<Notification> listNotifications(
            WorkspaceId workspaceId, SubscriptionId subscription, Optional<NotificationId> before, int limit) {
        materializeAll();
        return store.read(() -> {
            byte[] prefix = Keys.of(workspaceId.value(), subscription.value());
            byte[] start = before.map(id -> notificationKey(workspaceId, subscription, id))
                    .orElse(Keys.upperBound(prefix));
            List<Notification> page = new ArrayList<>();
            try (RocksIterator iterator = store.db().newIterator(store.handle(Column.WEBHOOK_NOTIFICATIONS))) {
                // Newest first: ids sort by creation time, so walk backwards from just before `start`.
                iterator.seekForPrev(start);
                if (iterator.isValid() && java.util.Arrays.equals(iterator.key(), start)) {
                    iterator.prev();
                }
                while (page.size() < limit && iterator.isValid() && Keys.startsWith(iterator.key(), prefix)) {
                    page.add(decode(iterator.value()));
                    iterator.prev();
                }
                iterator.status();
            }
            return List.copyOf(page);
        });
    }

    @Override
    public List<Notification> claimDue(List<Slots> slots, Instant now, Instant leaseUntil) {
        // As many as could be claimed now: the rest stay in the outbox until a claim wants them.
        int wanted = 0;
        for (Slots slot : slots) {
            wanted += slot.max();
        }
        materialize(wanted);
        // Now and then from the start regardless, so nothing can hide behind a cursor for long.
        long started = System.nanoTime();
        boolean full = started - lastFullScan > FULL_SCAN_EVERY_NANOS;
        if (full) {
            lastFullScan = started;
        }
        List<Notification> claimed = store.read(() -> {
            List<Notification> due = new ArrayList<>();
            for (Slots slot : slots) {
                byte[] prefix = Keys.of(
                        slot.workspaceId().value(), slot.subscriptionId().value());
                String cursorKey = cursorKey(slot.workspaceId(), slot.subscriptionId());
                Cursor observed = cursors.get(cursorKey);
                byte[] start = observed == null || full
                        ? prefix
                        : Keys.key()
                                .bytes(prefix)
                                .longValue(observed.fromMillis)
                                .build();
                List<byte[]> keys = new ArrayList<>();
                long[] first = {Long.MAX_VALUE};
                store.scanWhile(Column.WEBHOOK_DUE, prefix, start, (key, value) -> {
                    Keys.Reader reader = new Keys.Reader(key, prefix.length);
                    long dueAt = reader.longValue();
                    first[0] = Math.min(first[0], dueAt);
                    if (dueAt > now.toEpochMilli()) {
                        return false;
                    }
                    NotificationId id = new NotificationId(reader.string());
                    if (!leases.getOrDefault(id, Instant.MIN).isAfter(now)) {
                        keys.add(notificationKey(slot.workspaceId(), slot.subscriptionId(), id));
                    }
                    return keys.size() < slot.max();
                });
                Cursor next = new Cursor(first[0]);
                if (observed == null) {
                    cursors.putIfAbsent(cursorKey, next);
                } else {
                    cursors.replace(cursorKey, observed, next);
                }
                for (byte[] key : keys) {
                    store.get(Column.WEBHOOK_NOTIFICATIONS, key)
                            .map(RocksDbWebhookStore::decode)
                            .filter(notification -> notification.status() == DeliveryStatus.PENDING)
                            .ifPresent(due::add);
                }
            }
            return due;
        });
        claimed.forEach(notification -> leases.put(notification.id(), leaseUntil));
        return List.copyOf(claimed);
    }

    /** After a due entry at {@code dueMillis} is committed: the subscription's scans start no later. */
    private void dueCommitted(String cursorKey, long dueMillis) {
        cursors.compute(
                cursorKey,
                (key, current) ->
                        new Cursor(current == null ? Long.MIN_VALUE : Math.min(current.fromMillis, dueMillis)));
    }

    private static String cursorKey(WorkspaceId workspaceId, SubscriptionId subscriptionId) {
        return workspaceId.value() + '\u0000' + subscriptionId.value();
    }

    @Override
    public boolean updateNotification(Notification notification) {
        boolean updated = store.write("update notification " + notification.id(), changes -> {
            byte[] key = notificationKey(notification);
            Optional<Notification> stored =
                    changes.get(Column.WEBHOOK_NOTIFICATIONS, key).map(RocksDbWebhookStore::decode);
            if (stored.isEmpty()) {
                return false;
            }
            unindex(changes, stored.get());
            index(changes, notification);
            changes.put(Column.WEBHOOK_NOTIFICATIONS, key, Codec.notification(notification));
            return true;
        });
        leases.remove(notification.id());
        return updated;
    }

    /**
     * One command for the whole list, through the single writer like every write (so it never races
     * a resend or a delete). Everything is encoded before it is queued, and the command reads only
     * each subscription (is it still there?): the claimed state says which index entry to replace.
     */
    @Override
    public void recordAttempts(List<Attempted> attempts) {
        if (attempts.isEmpty()) {
            return;
        }
        record Encoded(
                byte[] subscription,
                byte[] oldIndex,
                Column oldColumn,
                byte[] newIndex,
                Column newColumn,
                byte[] key,
                byte[] value,
                String cursor,
                Optional<Long> due) {}
        List<Encoded> encoded = new ArrayList<>(attempts.size());
        for (Attempted attempt : attempts) {
            Notification after = attempt.after();
            encoded.add(new Encoded(
                    Keys.of(after.workspaceId().value(), after.subscriptionId().value()),
                    indexKey(attempt.claimed()),
                    indexColumn(attempt.claimed()),
                    indexKey(after),
                    indexColumn(after),
                    notificationKey(after),
                    Codec.notification(after),
                    cursorKey(after.workspaceId(), after.subscriptionId()),
                    after.status() == DeliveryStatus.PENDING
                            ? Optional.of(after.nextAttemptAt().toEpochMilli())
                            : Optional.empty()));
        }
        store.write("record " + attempts.size() + " webhook attempts", changes -> {
            for (Encoded attempt : encoded) {
                if (changes.exists(Column.WEBHOOK_SUBSCRIPTIONS, attempt.subscription())) {
                    changes.delete(attempt.oldColumn(), attempt.oldIndex());
                    changes.put(attempt.newColumn(), attempt.newIndex(), new byte[0]);
                    changes.put(Column.WEBHOOK_NOTIFICATIONS, attempt.key(), attempt.value());
                    attempt.due().ifPresent(due -> changes.afterCommit(() -> dueCommitted(attempt.cursor(), due)));
                }
            }
            return true;
        });
        attempts.forEach(attempt -> leases.remove(attempt.after().id()));
    }

    @Override
    public int pruneFinished(Instant before, int limit) {
        List<byte[]> finished = store.read(() -> {
            List<byte[]> keys = new ArrayList<>();
            store.scanWhile(Column.WEBHOOK_FINISHED, new byte[0], (key, value) -> {
                if (new Keys.Reader(key, 0).longValue() >= before.toEpochMilli()) {
                    return false;
                }
                keys.add(key);
                return keys.size() < limit;
            });
            return keys;
        });
        if (finished.isEmpty()) {
            return 0;
        }
        return store.write("prune " + finished.size() + " notifications", changes -> {
            for (byte[] key : finished) {
                Keys.Reader reader = new Keys.Reader(key, 0);
                reader.longValue();
                changes.delete(
                        Column.WEBHOOK_NOTIFICATIONS, Keys.of(reader.string(), reader.string(), reader.string()));
                changes.delete(Column.WEBHOOK_FINISHED, key);
            }
            return finished.size();
        });
    }

    /**
     * Counted on the due index, which holds exactly the pending ones made, and on the outbox records
     * not yet made (each says how many it owes); saturates at {@link #MAX_COUNTED}.
     */
    @Override
    public long countPending() {
        return store.read(() -> {
            long[] count = {0};
            store.scanWhile(Column.WEBHOOK_DUE, new byte[0], (key, value) -> ++count[0] < MAX_COUNTED);
            if (count[0] < MAX_COUNTED && outboxMayHoldRecords()) {
                count[0] += owedInOutbox(MAX_COUNTED - count[0]);
            }
            return Math.min(count[0], MAX_COUNTED);
        });
    }

    /** A stored notification: the binary form, or JSON as written before it. */
    private static Notification decode(byte[] value) {
        return Codec.isNotificationJson(value) ? WebhookCodec.notification(value) : Codec.notification(value);
    }

    // ---- keys and indexes

    private void putNew(Changes changes, Notification notification) {
        changes.put(Column.WEBHOOK_NOTIFICATIONS, notificationKey(notification), Codec.notification(notification));
        index(changes, notification);
    }

    private void index(Changes changes, Notification notification) {
        changes.put(indexColumn(notification), indexKey(notification), new byte[0]);
        if (notification.status() == DeliveryStatus.PENDING) {
            String cursorKey = cursorKey(notification.workspaceId(), notification.subscriptionId());
            long due = notification.nextAttemptAt().toEpochMilli();
            changes.afterCommit(() -> dueCommitted(cursorKey, due));
        }
    }

    private static void unindex(Changes changes, Notification notification) {
        changes.delete(indexColumn(notification), indexKey(notification));
    }

    /** Pending notifications are indexed by due time, the others by finish time. */
    private static Column indexColumn(Notification notification) {
        return notification.status() == DeliveryStatus.PENDING ? Column.WEBHOOK_DUE : Column.WEBHOOK_FINISHED;
    }

    private static byte[] indexKey(Notification notification) {
        return notification.status() == DeliveryStatus.PENDING ? dueKey(notification) : finishedKey(notification);
    }

    private static byte[] subscriptionKey(Subscription subscription) {
        return Keys.of(subscription.workspaceId().value(), subscription.id().value());
    }

    private static byte[] notificationKey(Notification notification) {
        return notificationKey(notification.workspaceId(), notification.subscriptionId(), notification.id());
    }

    private static byte[] notificationKey(WorkspaceId workspaceId, SubscriptionId subscription, NotificationId id) {
        return Keys.of(workspaceId.value(), subscription.value(), id.value());
    }

    /** workspace | subscription | due time | notification: a subscription's due notifications, soonest first. */
    private static byte[] dueKey(Notification notification) {
        return Keys.key()
                .string(notification.workspaceId().value())
                .string(notification.subscriptionId().value())
                .longValue(notification.nextAttemptAt().toEpochMilli())
                .string(notification.id().value())
                .build();
    }

    /** finish time | workspace | subscription | notification: what pruning deletes, oldest first. */
    private static byte[] finishedKey(Notification notification) {
        return Keys.key()
                .longValue(notification
                        .lastAttemptAt()
                        .orElse(notification.createdAt())
                        .toEpochMilli())
                .string(notification.workspaceId().value())
                .string(notification.subscriptionId().value())
                .string(notification.id().value())
                .build();
    }
}
