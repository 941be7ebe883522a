package dev.tally.storage.postgres;

import static java.util.Objects.requireNonNull;

import dev.tally.contact.ContactId;
import dev.tally.event.AppendResult;
import dev.tally.event.DataEvent;
import dev.tally.event.EventKey;
import dev.tally.event.EventName;
import dev.tally.metadata.Metadata;
import dev.tally.metadata.MetadataJson;
import dev.tally.metadata.TrackedKeys;
import dev.tally.workspace.WorkspaceId;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a batch of events in one transaction, correct when several Tally nodes write to the same
 * database at once. Nothing here relies on an in-process lock; the database decides:
 *
 * <ul>
 *   <li>De-duplication is the events primary key: {@code INSERT ... ON CONFLICT DO NOTHING
 *       RETURNING} reports which events this transaction actually inserted.
 *   <li>Summaries are upserted from exactly those inserted rows ({@code count + excluded.count},
 *       {@code least}, {@code greatest}), so a duplicate racing in from another node never counts.
 *   <li>Tracked keys only ever grow, and a full set never changes: an admission that changes
 *       nothing is final whatever other nodes do, so it needs no lock and can use what this node
 *       saw before. Only an admission that adds keys locks the {@code (workspace, name)} rows, in
 *       sorted order so two nodes cannot deadlock on them, and re-reads them under the lock.
 * </ul>
 *
 * <p>Admitting keys depends on which earlier events of the batch are new. If an event whose name
 * gained keys turns out to be a duplicate (another node inserted it between our read and our
 * insert), the transaction rolls back and runs again knowing it. Deadlocks and serialization
 * failures also run again. Events, summaries and tracked keys are written in a fixed order, each
 * sorted by key, so lock waits between nodes do not form cycles in practice.
 */
final class EventWriter {
    private static final Logger log = LoggerFactory.getLogger(EventWriter.class);

    private static final int MAX_ATTEMPTS = 10;
    /** Tracked keys remembered per node; past this the memory is dropped and read again. */
    private static final int MAX_CACHED_NAMES = 100_000;

    private static final String LOCK_TRACKED_KEYS = """
            INSERT INTO tracked_keys (workspace_id, name, keys)
            SELECT w, n, '{}' FROM unnest(?::text[], ?::text[]) AS t(w, n) ORDER BY w, n
            ON CONFLICT (workspace_id, name) DO UPDATE SET keys = tracked_keys.keys
            RETURNING workspace_id, name, keys""";
    private static final String UPDATE_TRACKED_KEYS =
            "UPDATE tracked_keys SET keys = ? WHERE workspace_id = ? AND name = ?";
    private static final String INSERT_EVENTS = """
            INSERT INTO events (workspace_id, contact_id, created_at, name, event_id, metadata)
            SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[])
                AS e(w, c, t, n, i, m)
            ORDER BY w, c, t, n
            ON CONFLICT (workspace_id, contact_id, created_at, name) DO NOTHING
            RETURNING workspace_id, contact_id, created_at, name""";
    private static final String UPSERT_SUMMARIES = """
            INSERT INTO event_summaries (workspace_id, contact_id, name, event_count, first_at, last_at)
            SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[])
                AS s(w, c, n, k, f, l)
            ORDER BY w, c, n
            ON CONFLICT (workspace_id, contact_id, name) DO UPDATE SET
                event_count = event_summaries.event_count + excluded.event_count,
                first_at = least(event_summaries.first_at, excluded.first_at),
                last_at = greatest(event_summaries.last_at, excluded.last_at)
            RETURNING workspace_id, name, (xmax = 0) AS inserted""";

    private final DataSource dataSource;
    private final PostgresWebhookStore webhooks;
    private final Map<NameKey, TrackedKeys> trackedKeysSeen = new ConcurrentHashMap<>();
    private final CatalogWriter catalog = new CatalogWriter();

    EventWriter(DataSource dataSource, PostgresWebhookStore webhooks) {
        this.dataSource = dataSource;
        this.webhooks = webhooks;
    }

    /** An event name within its workspace: what tracked keys belong to. */
    record NameKey(WorkspaceId workspaceId, EventName name) implements Comparable<NameKey> {
        private static final Comparator<NameKey> ORDER =
                Comparator.comparing(NameKey::workspaceId).thenComparing(NameKey::name);

        static NameKey of(DataEvent event) {
            return new NameKey(event.workspaceId(), event.name());
        }

        @Override
        public int compareTo(NameKey other) {
            return ORDER.compare(this, other);
        }
    }

    List<AppendResult> append(List<DataEvent> events) throws SQLException {
        Set<EventKey> knownDuplicates = new HashSet<>();
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    Attempt outcome = attempt(connection, events, knownDuplicates);
                    if (outcome.raced().isEmpty()) {
                        connection.commit();
                        remember(outcome.trackedAfter());
                        catalog.committed(outcome.stored());
                        return outcome.results();
                    }
                    connection.rollback();
                    knownDuplicates.addAll(outcome.raced());
                    log.debug(
                            "event=append_retry reason=duplicate_race events={}",
                            outcome.raced().size());
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(connection, e);
                    throw e;
                }
            } catch (SQLException e) {
                if (!SqlErrors.isRetryable(e) || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                log.debug("event=append_retry reason={} attempt={}", e.getSQLState(), attempt);
                backOff(attempt);
            }
        }
    }

    /**
     * What one transaction did. {@code raced} holds events that turned out to be duplicates after
     * their name had admitted keys on the assumption they were new: the transaction must not
     * commit.
     */
    private record Attempt(
            List<AppendResult> results,
            Map<NameKey, TrackedKeys> trackedAfter,
            List<EventKey> raced,
            List<CatalogWriter.Stored> stored) {}

    private Attempt attempt(Connection connection, List<DataEvent> events, Set<EventKey> knownDuplicates)
            throws SQLException {
        // 1. Duplicates within the batch, and those an earlier attempt found.
        List<AppendResult> results = new ArrayList<>(events.size());
        List<Integer> candidates = new ArrayList<>();
        Set<EventKey> seen = new HashSet<>();
        Map<NameKey, List<Integer>> byName = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            DataEvent event = events.get(i);
            results.add(AppendResult.duplicate());
            if (knownDuplicates.contains(event.key()) || !seen.add(event.key())) {
                continue;
            }
            candidates.add(i);
            byName.computeIfAbsent(NameKey.of(event), name -> new ArrayList<>()).add(i);
        }
        if (candidates.isEmpty()) {
            return new Attempt(results, Map.of(), List.of(), List.of());
        }

        // 2. Tracked keys: what this node saw settles every name whose admission adds nothing.
        Map<NameKey, TrackedKeys> before = new HashMap<>();
        List<NameKey> toLock = new ArrayList<>();
        byName.forEach((name, indexes) -> {
            TrackedKeys known = trackedKeysSeen.get(name);
            if (known != null && !adds(known, events, indexes)) {
                before.put(name, known);
            } else {
                toLock.add(name);
            }
        });
        before.putAll(lockTrackedKeys(connection, toLock));

        // 3. Admit metadata in event order, per name.
        Map<NameKey, TrackedKeys> after = new HashMap<>();
        Map<Integer, TrackedKeys.Admission> admissions = new HashMap<>();
        byName.forEach((name, indexes) -> {
            TrackedKeys tracked = requireNonNull(before.get(name), "tracked keys were read for every name");
            for (int index : indexes) {
                TrackedKeys.Admission admission =
                        tracked.admit(events.get(index).metadata());
                admissions.put(index, admission);
                tracked = admission.tracked();
            }
            after.put(name, tracked);
        });
        Set<NameKey> changed = new HashSet<>();
        after.forEach((name, tracked) -> {
            if (!tracked.equals(before.get(name))) {
                changed.add(name);
            }
        });

        // 4. Insert; the database says which events are new.
        Set<EventKey> inserted = insertEvents(connection, events, candidates, admissions);
        List<EventKey> raced = new ArrayList<>();
        for (int index : candidates) {
            DataEvent event = events.get(index);
            if (!inserted.contains(event.key()) && changed.contains(NameKey.of(event))) {
                raced.add(event.key());
            }
        }
        if (!raced.isEmpty()) {
            return new Attempt(results, Map.of(), raced, List.of());
        }

        // 5. Tracked keys that grew, and the summaries of what was inserted.
        updateTrackedKeys(connection, changed, after);
        List<CatalogWriter.Name> newContacts = upsertSummaries(connection, events, candidates, inserted);
        queueNotifications(connection, events, candidates, inserted, admissions);
        DailyCounts.addInserted(connection, events, candidates, inserted);
        List<CatalogWriter.Stored> stored = new ArrayList<>();
        for (int index : candidates) {
            if (inserted.contains(events.get(index).key())) {
                results.set(
                        index, AppendResult.stored(admitted(admissions, index).ignoredKeys()));
                stored.add(new CatalogWriter.Stored(
                        events.get(index), admitted(admissions, index).kept()));
            }
        }
        catalog.record(connection, stored, newContacts);
        return new Attempt(results, after, List.of(), stored);
    }

    private static boolean adds(TrackedKeys tracked, List<DataEvent> events, List<Integer> indexes) {
        TrackedKeys current = tracked;
        for (int index : indexes) {
            current = current.admit(events.get(index).metadata()).tracked();
        }
        return !current.equals(tracked);
    }

    /**
     * Locks (creating where missing) the tracked-keys rows of these names, in sorted order, and
     * returns their current keys. One round trip for all names.
     */
    private static Map<NameKey, TrackedKeys> lockTrackedKeys(Connection connection, List<NameKey> names)
            throws SQLException {
        if (names.isEmpty()) {
            return Map.of();
        }
        List<NameKey> sorted = names.stream().sorted().toList();
        Map<NameKey, TrackedKeys> current = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(LOCK_TRACKED_KEYS)) {
            statement.setArray(1, textArray(connection, sorted.stream().map(n -> n.workspaceId()
                    .value())));
            statement.setArray(
                    2, textArray(connection, sorted.stream().map(n -> n.name().value())));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    NameKey name = new NameKey(new WorkspaceId(rows.getString(1)), new EventName(rows.getString(2)));
                    current.put(name, new TrackedKeys(Arrays.asList((String[])
                            rows.getArray(3).getArray())));
                }
            }
        }
        return current;
    }

    private static Set<EventKey> insertEvents(
            Connection connection,
            List<DataEvent> events,
            List<Integer> candidates,
            Map<Integer, TrackedKeys.Admission> admissions)
            throws SQLException {
        int size = candidates.size();
        String[] workspaces = new String[size];
        String[] contacts = new String[size];
        Long[] createdAts = new Long[size];
        String[] names = new String[size];
        String[] ids = new String[size];
        String[] metadata = new String[size];
        for (int i = 0; i < size; i++) {
            int index = candidates.get(i);
            DataEvent event = events.get(index);
            Metadata kept = admitted(admissions, index).kept();
            workspaces[i] = event.workspaceId().value();
            contacts[i] = event.contactId().value();
            createdAts[i] = event.createdAt();
            names[i] = event.name().value();
            ids[i] = event.id().value();
            metadata[i] = MetadataJson.toJson(kept);
        }
        Set<EventKey> inserted = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(INSERT_EVENTS)) {
            statement.setArray(1, connection.createArrayOf("text", workspaces));
            statement.setArray(2, connection.createArrayOf("text", contacts));
            statement.setArray(3, connection.createArrayOf("bigint", createdAts));
            statement.setArray(4, connection.createArrayOf("text", names));
            statement.setArray(5, connection.createArrayOf("text", ids));
            statement.setArray(6, connection.createArrayOf("text", metadata));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    inserted.add(new EventKey(
                            new WorkspaceId(rows.getString(1)),
                            new ContactId(rows.getString(2)),
                            new EventName(rows.getString(4)),
                            rows.getLong(3)));
                }
            }
        }
        return inserted;
    }

    private static void updateTrackedKeys(Connection connection, Set<NameKey> changed, Map<NameKey, TrackedKeys> after)
            throws SQLException {
        if (changed.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(UPDATE_TRACKED_KEYS)) {
            for (NameKey name : changed.stream().sorted().toList()) {
                statement.setArray(
                        1,
                        connection.createArrayOf(
                                "text", requireNonNull(after.get(name)).keys().toArray(String[]::new)));
                statement.setString(2, name.workspaceId().value());
                statement.setString(3, name.name().value());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private record SummaryKey(WorkspaceId workspaceId, String contactId, EventName name) {}

    private record Counted(long count, long first, long last) {
        Counted plus(long createdAt) {
            return new Counted(count + 1, Math.min(first, createdAt), Math.max(last, createdAt));
        }
    }

    /** Upserts the summaries; returns the (workspace, name) of each summary row inserted, not updated. */
    private static List<CatalogWriter.Name> upsertSummaries(
            Connection connection, List<DataEvent> events, List<Integer> candidates, Set<EventKey> inserted)
            throws SQLException {
        Map<SummaryKey, Counted> counts = new TreeMap<>(Comparator.comparing(SummaryKey::workspaceId)
                .thenComparing(SummaryKey::contactId)
                .thenComparing(SummaryKey::name));
        for (int index : candidates) {
            DataEvent event = events.get(index);
            if (inserted.contains(event.key())) {
                counts.merge(
                        new SummaryKey(event.workspaceId(), event.contactId().value(), event.name()),
                        new Counted(1, event.createdAt(), event.createdAt()),
                        (a, b) -> a.plus(b.first()));
            }
        }
        if (counts.isEmpty()) {
            return List.of();
        }
        int size = counts.size();
        String[] workspaces = new String[size];
        String[] contacts = new String[size];
        String[] names = new String[size];
        Long[] eventCounts = new Long[size];
        Long[] firsts = new Long[size];
        Long[] lasts = new Long[size];
        int i = 0;
        for (Map.Entry<SummaryKey, Counted> entry : counts.entrySet()) {
            workspaces[i] = entry.getKey().workspaceId().value();
            contacts[i] = entry.getKey().contactId();
            names[i] = entry.getKey().name().value();
            eventCounts[i] = entry.getValue().count();
            firsts[i] = entry.getValue().first();
            lasts[i] = entry.getValue().last();
            i++;
        }
        try (PreparedStatement statement = connection.prepareStatement(UPSERT_SUMMARIES)) {
            statement.setArray(1, connection.createArrayOf("text", workspaces));
            statement.setArray(2, connection.createArrayOf("text", contacts));
            statement.setArray(3, connection.createArrayOf("text", names));
            statement.setArray(4, connection.createArrayOf("bigint", eventCounts));
            statement.setArray(5, connection.createArrayOf("bigint", firsts));
            statement.setArray(6, connection.createArrayOf("bigint", lasts));
            List<CatalogWriter.Name> newContacts = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (rows.getBoolean(3)) {
                        newContacts.add(new CatalogWriter.Name(rows.getString(1), rows.getString(2)));
                    }
                }
            }
            return newContacts;
        }
    }

    /** The outbox rows of the inserted events, in this transaction; nothing while no subscription is active. */
    private void queueNotifications(
            Connection connection,
            List<DataEvent> events,
            List<Integer> candidates,
            Set<EventKey> inserted,
            Map<Integer, TrackedKeys.Admission> admissions)
            throws SQLException {
        if (!webhooks.outboxActive()) {
            return;
        }
        List<DataEvent> stored = new ArrayList<>();
        for (int index : candidates) {
            DataEvent event = events.get(index);
            if (inserted.contains(event.key())) {
                stored.add(event.withMetadata(admitted(admissions, index).kept()));
            }
        }
        webhooks.queue(connection, stored);
    }

    private void remember(Map<NameKey, TrackedKeys> tracked) {
        if (trackedKeysSeen.size() + tracked.size() > MAX_CACHED_NAMES) {
            trackedKeysSeen.clear();
        }
        trackedKeysSeen.putAll(tracked);
    }

    private static Array textArray(Connection connection, Stream<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray(String[]::new));
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 1L + (5L << Math.min(attempt, 6))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every candidate event was admitted in step 3. */
    private static TrackedKeys.Admission admitted(Map<Integer, TrackedKeys.Admission> admissions, int index) {
        return requireNonNull(admissions.get(index), "no admission for a candidate event");
    }
}
