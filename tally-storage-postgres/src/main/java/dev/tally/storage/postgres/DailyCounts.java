package dev.tally.storage.postgres;

import dev.tally.event.DataEvent;
import dev.tally.event.EventKey;
import dev.tally.event.EventName;
import dev.tally.summary.DailyContactCount;
import dev.tally.summary.DailyEventCount;
import dev.tally.workspace.WorkspaceId;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The daily counts (V14): added to in the transaction that inserts the events or the contact, rows
 * sorted so that concurrent transactions of several nodes lock them in one order.
 */
final class DailyCounts {
    private static final String ADD_EVENTS = """
            INSERT INTO daily_event_counts (workspace_id, day, name, event_count)
            SELECT * FROM unnest(?::text[], ?::date[], ?::text[], ?::bigint[]) AS d(w, d, n, k)
            ORDER BY w, d, n
            ON CONFLICT (workspace_id, day, name) DO UPDATE SET
                event_count = daily_event_counts.event_count + excluded.event_count""";
    private static final String SUBTRACT_EVENTS = """
            UPDATE daily_event_counts SET event_count = greatest(0, event_count - ?)
            WHERE workspace_id = ? AND day = ? AND name = ?""";
    static final String READ_EVENTS = """
            SELECT day, name, event_count FROM daily_event_counts
            WHERE workspace_id = ? AND day BETWEEN ? AND ? AND event_count > 0
            ORDER BY day, name""";
    static final String READ_CONTACTS = """
            SELECT day, contact_count FROM daily_contact_counts
            WHERE workspace_id = ? AND day BETWEEN ? AND ?
            ORDER BY day""";

    private DailyCounts() {}

    private record Key(WorkspaceId workspaceId, LocalDate day, EventName name) {}

    /** Counts the events this transaction inserted. */
    static void addInserted(
            Connection connection, List<DataEvent> events, List<Integer> candidates, Set<EventKey> inserted)
            throws SQLException {
        Map<Key, Long> counts = new TreeMap<>(
                Comparator.comparing((Key key) -> key.workspaceId().value())
                        .thenComparing(Key::day)
                        .thenComparing(Key::name));
        for (int index : candidates) {
            DataEvent event = events.get(index);
            if (inserted.contains(event.key())) {
                counts.merge(
                        new Key(event.workspaceId(), DailyEventCount.dayOf(event.createdAt()), event.name()),
                        1L,
                        Long::sum);
            }
        }
        if (counts.isEmpty()) {
            return;
        }
        int size = counts.size();
        String[] workspaces = new String[size];
        Date[] days = new Date[size];
        String[] names = new String[size];
        Long[] values = new Long[size];
        int i = 0;
        for (Map.Entry<Key, Long> entry : counts.entrySet()) {
            workspaces[i] = entry.getKey().workspaceId().value();
            days[i] = Date.valueOf(entry.getKey().day());
            names[i] = entry.getKey().name().value();
            values[i] = entry.getValue();
            i++;
        }
        try (PreparedStatement statement = connection.prepareStatement(ADD_EVENTS)) {
            statement.setArray(1, connection.createArrayOf("text", workspaces));
            statement.setArray(2, connection.createArrayOf("date", days));
            statement.setArray(3, connection.createArrayOf("text", names));
            statement.setArray(4, connection.createArrayOf("bigint", values));
            statement.executeUpdate();
        }
    }

    static void subtract(Connection connection, WorkspaceId workspaceId, List<DailyEventCount> counts)
            throws SQLException {
        List<DailyEventCount> sorted = counts.stream()
                .sorted(Comparator.comparing(DailyEventCount::day).thenComparing(DailyEventCount::name))
                .toList();
        try (PreparedStatement statement = connection.prepareStatement(SUBTRACT_EVENTS)) {
            for (DailyEventCount count : sorted) {
                statement.setLong(1, count.count());
                statement.setString(2, workspaceId.value());
                statement.setDate(3, Date.valueOf(count.day()));
                statement.setString(4, count.name().value());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /**
     * An {@code INSERT INTO contacts ... ON CONFLICT DO NOTHING} that also counts the contact it
     * inserted, in the same statement; its update count stays 1 when inserted, 0 when not.
     */
    static String countingInsertedContact(String insertContact) {
        return "WITH inserted AS (" + insertContact + " RETURNING workspace_id, created_at)\n"
                + "INSERT INTO daily_contact_counts (workspace_id, day, contact_count)\n"
                + "SELECT workspace_id, DATE '1970-01-01' + floor(created_at / 86400)::int, 1 FROM inserted\n"
                + "ON CONFLICT (workspace_id, day) DO UPDATE SET"
                + " contact_count = daily_contact_counts.contact_count + 1";
    }

    static DailyEventCount eventCount(ResultSet rows) throws SQLException {
        return new DailyEventCount(rows.getDate(1).toLocalDate(), new EventName(rows.getString(2)), rows.getLong(3));
    }

    static DailyContactCount contactCount(ResultSet rows) throws SQLException {
        return new DailyContactCount(rows.getDate(1).toLocalDate(), rows.getLong(2));
    }
}
