package dev.tally.storage.postgres;

import dev.tally.contact.ContactId;
import dev.tally.event.DataEvent;
import dev.tally.event.EventId;
import dev.tally.event.EventName;
import dev.tally.metadata.MetadataJson;
import dev.tally.segment.SegmentId;
import dev.tally.storage.WebhookOutbox;
import dev.tally.storage.WebhookStore;
import dev.tally.webhook.DeliveryStatus;
import dev.tally.webhook.Notification;
import dev.tally.webhook.NotificationId;
import dev.tally.webhook.Subscription;
import dev.tally.webhook.SubscriptionId;
import dev.tally.webhook.Topic;
import dev.tally.workspace.WorkspaceId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL store's webhooks. Notifications of an append are inserted by {@link EventWriter}
 * in the events' transaction. Several nodes share the outbox: {@link #claimDue} locks due rows with
 * {@code FOR UPDATE SKIP LOCKED} and leases them ({@code lease_until}), so each notification is
 * attempted by one node at a time, and a node that dies mid-attempt only delays it by the lease.
 *
 * <p>Each node keeps the active subscriptions in memory for the append path, read again every
 * {@link #REFRESH_SECONDS} s: a subscription created or changed on another node applies to this
 * node's events within that time (at once for changes made through this node).
 */
final class PostgresWebhookStore implements WebhookStore {
    private static final Logger log = LoggerFactory.getLogger(PostgresWebhookStore.class);
    static final int REFRESH_SECONDS = 1;

    private static final String NOTIFICATION_COLUMNS = """
            workspace_id, subscription_id, notification_id, topic, event_id, contact_id, event_name,
            event_created_at, metadata, created_at, status, attempts, next_attempt_at, first_sent_at,
            last_attempt_at, delivered_at, last_response_code, last_response""";

    private final PostgresTallyStore store;
    private final WebhookOutbox outbox = new WebhookOutbox();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tally-webhook-subscriptions").daemon(true).factory());

    PostgresWebhookStore(PostgresTallyStore store) {
        this.store = store;
    }

    void start() {
        reload();
        refresher.scheduleWithFixedDelay(this::reloadQuietly, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    void close() {
        refresher.shutdownNow();
    }

    private void reload() {
        outbox.load(allSubscriptions());
    }

    private void reloadQuietly() {
        try {
            reload();
        } catch (RuntimeException e) {
            log.warn("event=webhook_subscriptions_refresh_failed message={}", e.getMessage());
        }
    }

    boolean outboxActive() {
        return outbox.isActive();
    }

    /** Inserts, on the events' connection, the notifications owed for these stored events. */
    void queue(Connection connection, List<DataEvent> stored) throws SQLException {
        List<Notification> notifications = stored.stream()
                .flatMap(event -> outbox.notificationsFor(event).stream())
                .toList();
        if (notifications.isEmpty()) {
            return;
        }
        insert(connection, notifications, true);
    }

    // ---- subscriptions

    @Override
    public void insertSubscription(Subscription subscription) {
        store.update("insert a subscription", """
                INSERT INTO webhook_subscriptions (workspace_id, subscription_id, url, event_names, hub_secret,
                    active, created_at, failing_since, inactive_reason, segment_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", statement -> {
            statement.setString(1, subscription.workspaceId().value());
            statement.setString(2, subscription.id().value());
            bindSubscriptionState(statement, 3, subscription);
        });
        reload();
    }

    /**
     * url, event_names, hub_secret, active, created_at, failing_since, inactive_reason, segment_id
     * from {@code first}.
     */
    private static void bindSubscriptionState(PreparedStatement statement, int first, Subscription subscription)
            throws SQLException {
        statement.setString(first, subscription.url());
        statement.setArray(
                first + 1,
                statement
                        .getConnection()
                        .createArrayOf(
                                "text",
                                subscription.eventNames().stream()
                                        .map(EventName::value)
                                        .toArray()));
        statement.setString(first + 2, subscription.hubSecret());
        statement.setBoolean(first + 3, subscription.active());
        statement.setLong(first + 4, subscription.createdAt().toEpochMilli());
        setMillis(statement, first + 5, subscription.failingSince());
        statement.setString(first + 6, subscription.inactiveReason().orElse(null));
        statement.setString(
                first + 7, subscription.segmentId().map(SegmentId::value).orElse(null));
    }

    @Override
    public Optional<Subscription> findSubscription(WorkspaceId workspaceId, SubscriptionId id) {
        return store
                .query(
                        "read a subscription",
                        "SELECT * FROM webhook_subscriptions WHERE workspace_id = ? AND subscription_id = ?",
                        statement -> {
                            statement.setString(1, workspaceId.value());
                            statement.setString(2, id.value());
                        },
                        PostgresWebhookStore::subscription)
                .stream()
                .findFirst();
    }

    @Override
    public List<Subscription> listSubscriptions(WorkspaceId workspaceId) {
        return store.query(
                "list subscriptions",
                "SELECT * FROM webhook_subscriptions WHERE workspace_id = ? ORDER BY created_at, subscription_id",
                statement -> statement.setString(1, workspaceId.value()),
                PostgresWebhookStore::subscription);
    }

    @Override
    public List<Subscription> allSubscriptions() {
        return store.query(
                "list all subscriptions",
                "SELECT * FROM webhook_subscriptions ORDER BY created_at, subscription_id",
                statement -> {},
                PostgresWebhookStore::subscription);
    }

    @Override
    public boolean updateSubscription(Subscription subscription) {
        boolean updated = store.update("update a subscription", """
                        UPDATE webhook_subscriptions SET url = ?, event_names = ?, hub_secret = ?, active = ?,
                            created_at = ?, failing_since = ?, inactive_reason = ?, segment_id = ?
                        WHERE workspace_id = ? AND subscription_id = ?""", statement -> {
                    bindSubscriptionState(statement, 1, subscription);
                    statement.setString(9, subscription.workspaceId().value());
                    statement.setString(10, subscription.id().value());
                })
                > 0;
        if (updated) {
            reload();
        }
        return updated;
    }

    @Override
    public boolean deleteSubscription(WorkspaceId workspaceId, SubscriptionId id) {
        boolean deleted = store.transaction("delete a subscription", connection -> {
            try (PreparedStatement notifications = connection.prepareStatement(
                    "DELETE FROM webhook_notifications WHERE workspace_id = ? AND subscription_id = ?")) {
                notifications.setString(1, workspaceId.value());
                notifications.setString(2, id.value());
                notifications.executeUpdate();
            }
            try (PreparedStatement subscription = connection.prepareStatement(
                    "DELETE FROM webhook_subscriptions WHERE workspace_id = ? AND subscription_id = ?")) {
                subscription.setString(1, workspaceId.value());
                subscription.setString(2, id.value());
                return subscription.executeUpdate() > 0;
            }
        });
        if (deleted) {
            reload();
        }
        return deleted;
    }

    // ---- notifications

    @Override
    public void insertNotification(Notification notification) {
        store.transaction("insert a notification", connection -> {
            insert(connection, List.of(notification), false);
            return true;
        });
    }

    /**
     * Inserts notifications in one statement. With {@code onlyActive}, a row goes in only if its
     * subscription still exists and is active as this transaction sees it: the memory this node
     * decided by may be up to a second old, and a subscription deleted or deactivated meanwhile
     * (on another node) must not get rows that nothing would ever send or delete.
     */
    @SuppressWarnings("NullAway") // NullAway cannot type a 2-D array's nullable cells; the nulls are SQL NULLs
    private static void insert(Connection connection, List<Notification> notifications, boolean onlyActive)
            throws SQLException {
        int size = notifications.size();
        Object[][] columns = new Object[18][size];
        for (int i = 0; i < size; i++) {
            Notification n = notifications.get(i);
            Optional<DataEvent> event = n.event();
            columns[0][i] = n.workspaceId().value();
            columns[1][i] = n.subscriptionId().value();
            columns[2][i] = n.id().value();
            columns[3][i] = n.topic().wireName();
            columns[4][i] = event.map(e -> e.id().value()).orElse(null);
            columns[5][i] = event.map(e -> e.contactId().value()).orElse(null);
            columns[6][i] = event.map(e -> e.name().value()).orElse(null);
            columns[7][i] = event.map(DataEvent::createdAt).orElse(null);
            columns[8][i] = event.map(e -> MetadataJson.toJson(e.metadata())).orElse(null);
            columns[9][i] = n.createdAt().toEpochMilli();
            columns[10][i] = n.status().wireName();
            columns[11][i] = n.attempts();
            columns[12][i] = n.nextAttemptAt().toEpochMilli();
            columns[13][i] = n.firstSentAt().map(Instant::toEpochMilli).orElse(null);
            columns[14][i] = n.lastAttemptAt().map(Instant::toEpochMilli).orElse(null);
            columns[15][i] = n.deliveredAt().map(Instant::toEpochMilli).orElse(null);
            columns[16][i] =
                    n.lastResponseCode().isPresent() ? n.lastResponseCode().getAsInt() : null;
            columns[17][i] = n.lastResponse().orElse(null);
        }
        String[] types = {
            "text", "text", "text", "text", "text", "text", "text", "bigint", "text", "bigint", "text", "integer",
            "bigint", "bigint", "bigint", "bigint", "integer", "text"
        };
        StringBuilder casts = new StringBuilder();
        for (int i = 0; i < types.length; i++) {
            casts.append(i == 0 ? "" : ", ").append("?::").append(types[i]).append("[]");
        }
        String sql = "INSERT INTO webhook_notifications (" + NOTIFICATION_COLUMNS + ") SELECT * FROM unnest("
                + casts + ") AS u(" + NOTIFICATION_COLUMNS + ")"
                + (onlyActive
                        ? " WHERE EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.workspace_id = u.workspace_id"
                                + " AND s.subscription_id = u.subscription_id AND s.active)"
                        : "");
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < types.length; i++) {
                statement.setArray(i + 1, connection.createArrayOf(types[i], columns[i]));
            }
            statement.executeUpdate();
        }
    }

    @Override
    public Optional<Notification> findNotification(
            WorkspaceId workspaceId, SubscriptionId subscription, NotificationId id) {
        return store
                .query(
                        "read a notification",
                        "SELECT * FROM webhook_notifications"
                                + " WHERE workspace_id = ? AND subscription_id = ? AND notification_id = ?",
                        statement -> {
                            statement.setString(1, workspaceId.value());
                            statement.setString(2, subscription.value());
                            statement.setString(3, id.value());
                        },
                        PostgresWebhookStore::notification)
                .stream()
                .findFirst();
    }

    @Override
    public List<Notification> listNotifications(
            WorkspaceId workspaceId, SubscriptionId subscription, Optional<NotificationId> before, int limit) {
        return store.query(
                "list notifications",
                """
                SELECT * FROM webhook_notifications
                WHERE workspace_id = ? AND subscription_id = ? AND notification_id < ?
                ORDER BY notification_id DESC LIMIT ?""",
                statement -> {
                    statement.setString(1, workspaceId.value());
                    statement.setString(2, subscription.value());
                    // Every id sorts below "notif_~" ('~' follows every id character).
                    statement.setString(3, before.map(NotificationId::value).orElse(NotificationId.PREFIX + "~"));
                    statement.setInt(4, Math.max(0, limit));
                },
                PostgresWebhookStore::notification);
    }

    @Override
    public List<Notification> claimDue(List<Slots> slots, Instant now, Instant leaseUntil) {
        if (slots.isEmpty()) {
            return List.of();
        }
        return store.transaction("claim due notifications", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    WITH claimed AS (
                        SELECT n.workspace_id, n.subscription_id, n.notification_id
                        FROM unnest(?::text[], ?::text[], ?::integer[]) AS s(w, sid, free)
                        CROSS JOIN LATERAL (
                            SELECT workspace_id, subscription_id, notification_id FROM webhook_notifications
                            WHERE workspace_id = s.w AND subscription_id = s.sid AND status = 'pending'
                                AND next_attempt_at <= ? AND lease_until <= ?
                            ORDER BY next_attempt_at, notification_id
                            LIMIT s.free
                            FOR UPDATE SKIP LOCKED) n)
                    UPDATE webhook_notifications t SET lease_until = ?
                    FROM claimed c
                    WHERE t.workspace_id = c.workspace_id AND t.subscription_id = c.subscription_id
                        AND t.notification_id = c.notification_id
                    RETURNING t.*""")) {
                statement.setArray(
                        1,
                        connection.createArrayOf(
                                "text",
                                slots.stream().map(s -> s.workspaceId().value()).toArray()));
                statement.setArray(
                        2,
                        connection.createArrayOf(
                                "text",
                                slots.stream()
                                        .map(s -> s.subscriptionId().value())
                                        .toArray()));
                statement.setArray(
                        3,
                        connection.createArrayOf(
                                "integer", slots.stream().map(Slots::max).toArray()));
                statement.setLong(4, now.toEpochMilli());
                statement.setLong(5, now.toEpochMilli());
                statement.setLong(6, leaseUntil.toEpochMilli());
                List<Notification> claimed = new java.util.ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        claimed.add(notification(rows));
                    }
                }
                return List.copyOf(claimed);
            }
        });
    }

    @Override
    public boolean updateNotification(Notification n) {
        return store.update("update a notification", """
                        UPDATE webhook_notifications SET status = ?, attempts = ?, next_attempt_at = ?,
                            first_sent_at = ?, last_attempt_at = ?, delivered_at = ?, last_response_code = ?,
                            last_response = ?, lease_until = 0
                        WHERE workspace_id = ? AND subscription_id = ? AND notification_id = ?""", statement -> {
                    statement.setString(1, n.status().wireName());
                    statement.setInt(2, n.attempts());
                    statement.setLong(3, n.nextAttemptAt().toEpochMilli());
                    setMillis(statement, 4, n.firstSentAt());
                    setMillis(statement, 5, n.lastAttemptAt());
                    setMillis(statement, 6, n.deliveredAt());
                    if (n.lastResponseCode().isPresent()) {
                        statement.setInt(7, n.lastResponseCode().getAsInt());
                    } else {
                        statement.setNull(7, Types.INTEGER);
                    }
                    statement.setString(8, n.lastResponse().orElse(null));
                    statement.setString(9, n.workspaceId().value());
                    statement.setString(10, n.subscriptionId().value());
                    statement.setString(11, n.id().value());
                })
                > 0;
    }

    /**
     * One statement for the whole list, in a transaction that does not wait for its commit to reach
     * the disk ({@code synchronous_commit = off}): see {@link WebhookStore#recordAttempts}.
     */
    @Override
    @SuppressWarnings("NullAway") // NullAway cannot type a 2-D array's nullable cells; the nulls are SQL NULLs
    public void recordAttempts(List<Attempted> attempts) {
        if (attempts.isEmpty()) {
            return;
        }
        store.transaction("record webhook attempts", connection -> {
            try (java.sql.Statement local = connection.createStatement()) {
                local.execute("SET LOCAL synchronous_commit TO OFF");
            }
            int size = attempts.size();
            Object[][] columns = new Object[11][size];
            for (int i = 0; i < size; i++) {
                Notification n = attempts.get(i).after();
                columns[0][i] = n.workspaceId().value();
                columns[1][i] = n.subscriptionId().value();
                columns[2][i] = n.id().value();
                columns[3][i] = n.status().wireName();
                columns[4][i] = n.attempts();
                columns[5][i] = n.nextAttemptAt().toEpochMilli();
                columns[6][i] = n.firstSentAt().map(Instant::toEpochMilli).orElse(null);
                columns[7][i] = n.lastAttemptAt().map(Instant::toEpochMilli).orElse(null);
                columns[8][i] = n.deliveredAt().map(Instant::toEpochMilli).orElse(null);
                columns[9][i] =
                        n.lastResponseCode().isPresent() ? n.lastResponseCode().getAsInt() : null;
                columns[10][i] = n.lastResponse().orElse(null);
            }
            String[] types = {
                "text", "text", "text", "text", "integer", "bigint", "bigint", "bigint", "bigint", "integer", "text"
            };
            // Rows in key order, so two nodes recording at once lock them in the same order.
            try (PreparedStatement statement = connection.prepareStatement("""
                    UPDATE webhook_notifications t SET status = a.s, attempts = a.n, next_attempt_at = a.next,
                        first_sent_at = a.first, last_attempt_at = a.last, delivered_at = a.delivered,
                        last_response_code = a.code, last_response = a.response, lease_until = 0
                    FROM (SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::integer[],
                            ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::integer[], ?::text[])
                            AS u(w, sid, id, s, n, next, first, last, delivered, code, response)
                          ORDER BY w, sid, id) a
                    WHERE t.workspace_id = a.w AND t.subscription_id = a.sid AND t.notification_id = a.id""")) {
                for (int i = 0; i < types.length; i++) {
                    statement.setArray(i + 1, connection.createArrayOf(types[i], columns[i]));
                }
                statement.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public int pruneFinished(Instant before, int limit) {
        return store.update("prune notifications", """
                DELETE FROM webhook_notifications WHERE (workspace_id, subscription_id, notification_id) IN (
                    SELECT workspace_id, subscription_id, notification_id FROM webhook_notifications
                    WHERE status <> 'pending' AND last_attempt_at < ? LIMIT ?)""", statement -> {
            statement.setLong(1, before.toEpochMilli());
            statement.setInt(2, limit);
        });
    }

    @Override
    public long countPending() {
        return store.query(
                        "count pending notifications",
                        "SELECT count(*) FROM webhook_notifications WHERE status = 'pending'",
                        statement -> {},
                        rows -> rows.getLong(1))
                .getFirst();
    }

    // ---- rows

    private static Subscription subscription(ResultSet rows) throws SQLException {
        return new Subscription(
                new SubscriptionId(rows.getString("subscription_id")),
                new WorkspaceId(rows.getString("workspace_id")),
                rows.getString("url"),
                Arrays.stream((String[]) rows.getArray("event_names").getArray())
                        .map(EventName::new)
                        .toList(),
                rows.getString("hub_secret"),
                rows.getBoolean("active"),
                Instant.ofEpochMilli(rows.getLong("created_at")),
                millis(rows, "failing_since"),
                Optional.ofNullable(rows.getString("inactive_reason")),
                Optional.ofNullable(rows.getString("segment_id")).map(SegmentId::new));
    }

    private static Notification notification(ResultSet rows) throws SQLException {
        WorkspaceId workspaceId = new WorkspaceId(rows.getString("workspace_id"));
        Topic topic = Topic.fromWireName(rows.getString("topic")).orElseThrow();
        Optional<DataEvent> event = Optional.empty();
        if (topic == Topic.EVENT_CREATED) {
            event = Optional.of(new DataEvent(
                    new EventId(rows.getString("event_id")),
                    workspaceId,
                    new ContactId(rows.getString("contact_id")),
                    new EventName(rows.getString("event_name")),
                    rows.getLong("event_created_at"),
                    MetadataJson.readStored(rows.getString("metadata"))));
        }
        int code = rows.getInt("last_response_code");
        OptionalInt responseCode = rows.wasNull() ? OptionalInt.empty() : OptionalInt.of(code);
        return new Notification(
                new NotificationId(rows.getString("notification_id")),
                workspaceId,
                new SubscriptionId(rows.getString("subscription_id")),
                topic,
                event,
                Instant.ofEpochMilli(rows.getLong("created_at")),
                DeliveryStatus.fromWireName(rows.getString("status")).orElseThrow(),
                rows.getInt("attempts"),
                Instant.ofEpochMilli(rows.getLong("next_attempt_at")),
                millis(rows, "first_sent_at"),
                millis(rows, "last_attempt_at"),
                millis(rows, "delivered_at"),
                responseCode,
                Optional.ofNullable(rows.getString("last_response")));
    }

    private static Optional<Instant> millis(ResultSet rows, String column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(value));
    }

    private static void setMillis(PreparedStatement statement, int index, Optional<Instant> value) throws SQLException {
        if (value.isPresent()) {
            statement.setLong(index, value.get().toEpochMilli());
        } else {
            statement.setNull(index, Types.BIGINT);
        }
    }
}
