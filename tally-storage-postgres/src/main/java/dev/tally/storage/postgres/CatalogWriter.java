package dev.tally.storage.postgres;

import static java.util.Objects.requireNonNull;

import dev.tally.catalog.KeyType;
import dev.tally.event.DataEvent;
import dev.tally.metadata.Metadata;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event catalog's part of an append, in the append's transaction, correct across nodes: counts
 * are added ({@code count + excluded.count}), never written from what this node read; a contact is
 * new to a name exactly when its summary row was inserted rather than updated (which the summary
 * upsert reports), and key types are OR-ed into a bit set. Rows are written sorted by key, after
 * the summaries, so lock order is the same in every transaction.
 *
 * <p>Each name the append stored an event of, and so changed a summary row of, gets its {@code
 * version} bumped here, in the same transaction: what keeps {@link SummaryCopies} exact on every node.
 */
final class CatalogWriter {
    /** Key types this node has seen written, so an append with nothing new skips that statement. */
    private static final int MAX_CACHED_KEYS = 100_000;

    private static final String UPSERT_CATALOG = """
            INSERT INTO event_catalog (workspace_id, name, event_count, contact_count, first_seen, last_seen, version)
            SELECT w, n, k, p, f, l, 1
            FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) AS c(w, n, k, p, f, l)
            ORDER BY w, n
            ON CONFLICT (workspace_id, name) DO UPDATE SET
                version = event_catalog.version + 1,
                event_count = event_catalog.event_count + excluded.event_count,
                contact_count = event_catalog.contact_count + excluded.contact_count,
                first_seen = least(event_catalog.first_seen, excluded.first_seen),
                last_seen = greatest(event_catalog.last_seen, excluded.last_seen)""";
    private static final String UPSERT_KEYS = """
            INSERT INTO event_catalog_keys (workspace_id, name, key, types)
            SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::integer[]) AS k(w, n, k, t)
            ORDER BY w, n, k
            ON CONFLICT (workspace_id, name, key) DO UPDATE SET types = event_catalog_keys.types | excluded.types
            WHERE event_catalog_keys.types | excluded.types <> event_catalog_keys.types""";

    private final Map<NameKeyType, Integer> typesSeen = new ConcurrentHashMap<>();

    private record NameKeyType(String workspaceId, String name, String key) {}

    /** An event name within its workspace. */
    record Name(String workspaceId, String name) {}

    /** An inserted event and the metadata kept of it. */
    record Stored(DataEvent event, Metadata kept) {}

    private static final class Counts {
        long events;
        long contacts;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
    }

    /**
     * Adds the inserted events to the catalog. {@code newContacts} holds the (workspace, name) of
     * each summary row the transaction inserted, once per row.
     */
    void record(Connection connection, List<Stored> inserted, List<Name> newContacts) throws SQLException {
        if (inserted.isEmpty()) {
            return;
        }
        Map<Name, Counts> counts =
                new TreeMap<>(Comparator.comparing(Name::workspaceId).thenComparing(Name::name));
        Map<NameKeyType, Integer> types = new TreeMap<>(Comparator.comparing(NameKeyType::workspaceId)
                .thenComparing(NameKeyType::name)
                .thenComparing(NameKeyType::key));
        for (Stored stored : inserted) {
            DataEvent event = stored.event();
            Counts count = counts.computeIfAbsent(
                    new Name(event.workspaceId().value(), event.name().value()), name -> new Counts());
            count.events++;
            count.first = Math.min(count.first, event.createdAt());
            count.last = Math.max(count.last, event.createdAt());
            stored.kept()
                    .values()
                    .forEach((key, value) -> types.merge(
                            new NameKeyType(
                                    event.workspaceId().value(), event.name().value(), key),
                            1 << KeyType.of(value).ordinal(),
                            (a, b) -> a | b));
        }
        // A summary row is new only where an event with its name was inserted, so counts holds its name.
        newContacts.forEach(
                name -> requireNonNull(counts.get(name), "a new summary row without an inserted event").contacts++);
        upsertCatalog(connection, counts);
        types.entrySet().removeIf(entry -> {
            Integer seen = typesSeen.get(entry.getKey());
            return seen != null && (seen | entry.getValue()) == seen;
        });
        if (!types.isEmpty()) {
            upsertKeys(connection, types);
        }
    }

    /** Remembers key types once their transaction committed. */
    void committed(List<Stored> inserted) {
        if (typesSeen.size() > MAX_CACHED_KEYS) {
            typesSeen.clear();
        }
        for (Stored stored : inserted) {
            DataEvent event = stored.event();
            stored.kept()
                    .values()
                    .forEach((key, value) -> typesSeen.merge(
                            new NameKeyType(
                                    event.workspaceId().value(), event.name().value(), key),
                            1 << KeyType.of(value).ordinal(),
                            (a, b) -> a | b));
        }
    }

    private static void upsertCatalog(Connection connection, Map<Name, Counts> counts) throws SQLException {
        int size = counts.size();
        String[] workspaces = new String[size];
        String[] names = new String[size];
        Long[] events = new Long[size];
        Long[] contacts = new Long[size];
        Long[] firsts = new Long[size];
        Long[] lasts = new Long[size];
        int i = 0;
        for (Map.Entry<Name, Counts> entry : counts.entrySet()) {
            workspaces[i] = entry.getKey().workspaceId();
            names[i] = entry.getKey().name();
            events[i] = entry.getValue().events;
            contacts[i] = entry.getValue().contacts;
            firsts[i] = entry.getValue().first;
            lasts[i] = entry.getValue().last;
            i++;
        }
        try (PreparedStatement statement = connection.prepareStatement(UPSERT_CATALOG)) {
            statement.setArray(1, connection.createArrayOf("text", workspaces));
            statement.setArray(2, connection.createArrayOf("text", names));
            statement.setArray(3, connection.createArrayOf("bigint", events));
            statement.setArray(4, connection.createArrayOf("bigint", contacts));
            statement.setArray(5, connection.createArrayOf("bigint", firsts));
            statement.setArray(6, connection.createArrayOf("bigint", lasts));
            statement.executeUpdate();
        }
    }

    private static void upsertKeys(Connection connection, Map<NameKeyType, Integer> types) throws SQLException {
        int size = types.size();
        String[] workspaces = new String[size];
        String[] names = new String[size];
        String[] keys = new String[size];
        Integer[] bits = new Integer[size];
        int i = 0;
        for (Map.Entry<NameKeyType, Integer> entry : types.entrySet()) {
            workspaces[i] = entry.getKey().workspaceId();
            names[i] = entry.getKey().name();
            keys[i] = entry.getKey().key();
            bits[i] = entry.getValue();
            i++;
        }
        try (PreparedStatement statement = connection.prepareStatement(UPSERT_KEYS)) {
            statement.setArray(1, connection.createArrayOf("text", workspaces));
            statement.setArray(2, connection.createArrayOf("text", names));
            statement.setArray(3, connection.createArrayOf("text", keys));
            statement.setArray(4, connection.createArrayOf("integer", bits));
            statement.executeUpdate();
        }
    }

    /** Decodes a {@code types} bit set. */
    static Set<KeyType> types(int bits) {
        Set<KeyType> types = java.util.EnumSet.noneOf(KeyType.class);
        for (KeyType type : KeyType.values()) {
            if ((bits & (1 << type.ordinal())) != 0) {
                types.add(type);
            }
        }
        return types;
    }
}
