package dev.tally.storage.postgres;

import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.event.EventName;
import dev.tally.search.SummaryCondition;
import dev.tally.storage.PackedIndex;
import dev.tally.storage.PackedIndexSearch;
import dev.tally.storage.SummarySearch;
import dev.tally.workspace.WorkspaceId;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL store's answer to a conjunction of summary conditions: from this node's {@link
 * SummaryCopies copies} when each name has one at its current catalog version, else in SQL ({@link
 * SummarySearchSql}).
 *
 * <p>From copies it costs two short statements, the names' versions (one index read per name) and
 * the page's contacts by id, around one pass in memory ({@link PackedIndexSearch}). The answer is the
 * one the SQL would give when the versions were read: a copy at a name's current version holds
 * exactly its current rows. Should a contact of the page be deleted between the versions and the
 * page (it is missing from the page's read), the search runs again in SQL.
 */
final class SummarySearches {
    private static final Logger log = LoggerFactory.getLogger(SummarySearches.class);

    private static final String VERSIONS =
            "SELECT name, version, contact_count FROM event_catalog WHERE workspace_id = ? AND name = ANY(?)";
    private static final String VERSION = "SELECT version FROM event_catalog WHERE workspace_id = ? AND name = ?";
    /** Index-only on event_summaries_by_name, in its order. */
    private static final String ROWS = """
            SELECT contact_id, event_count, first_at, last_at FROM event_summaries
            WHERE workspace_id = ? AND name = ? ORDER BY contact_id""";

    private static final String CONTACTS =
            "SELECT * FROM contacts WHERE workspace_id = ? AND contact_id = ANY(?) ORDER BY contact_id";
    /** Rows fetched per round trip while a copy is read (the driver streams only with a fetch size). */
    private static final int FETCH_SIZE = 10_000;
    /** Catalog versions start at 0 and only grow. */
    private static final long NO_VERSION = -1;

    private final PostgresTallyStore store;
    private final DataSource dataSource;
    private final SummaryCopies copies;
    private final AtomicLong inMemory = new AtomicLong();
    private final AtomicLong inSql = new AtomicLong();

    SummarySearches(PostgresTallyStore store, DataSource dataSource, SummaryCopies copies) {
        this.store = store;
        this.dataSource = dataSource;
        this.copies = copies;
    }

    SummarySearch search(
            WorkspaceId workspaceId, List<SummaryCondition> conditions, Optional<ContactId> after, int limit) {
        List<String> names = conditions.stream()
                .map(condition -> condition.name().value())
                .distinct()
                .toList();
        Map<EventName, SummaryCopies.Current> current = versions(workspaceId, names);
        if (current.size() < names.size()) {
            // A name never stored: no contact did that event, and every condition requires its event.
            inMemory.incrementAndGet();
            return new SummarySearch(List.of(), 0, 0);
        }
        Optional<SummarySearch> copied = copies.at(workspaceId, current, this::readCopy)
                .map(found -> PackedIndexSearch.run(
                        conditions,
                        indexes(found),
                        after.map(id -> id.value().getBytes(StandardCharsets.UTF_8)),
                        limit))
                .flatMap(matches -> withContacts(workspaceId, matches));
        if (copied.isPresent()) {
            inMemory.incrementAndGet();
            return copied.get();
        }
        inSql.incrementAndGet();
        return inSql(workspaceId, conditions, after, limit);
    }

    /** Searches answered in memory (from copies, or a name never stored) and in SQL, and the copies held. */
    Map<String, Double> statistics() {
        Map<String, Double> figures = new LinkedHashMap<>(copies.statistics());
        figures.put("summary_searches_in_memory", (double) inMemory.get());
        figures.put("summary_searches_in_sql", (double) inSql.get());
        return figures;
    }

    /** The search in SQL: two statements, the counts and the page ({@link SummarySearchSql}). */
    SummarySearch inSql(
            WorkspaceId workspaceId, List<SummaryCondition> conditions, Optional<ContactId> after, int limit) {
        SummarySearchSql sql = new SummarySearchSql(workspaceId, conditions);
        String cursor = after.map(ContactId::value).orElse("");
        long[] counts = store.query(
                        "count a search",
                        sql.counts(),
                        statement -> {
                            statement.setString(1, cursor);
                            sql.bindFrom(statement, 2);
                        },
                        rows -> new long[] {rows.getLong(1), rows.getLong(2)})
                .get(0);
        List<Contact> page = limit == 0
                ? List.of()
                : store.query(
                        "read a search page",
                        sql.page(),
                        statement -> {
                            int at = sql.bindFrom(statement, 1);
                            statement.setString(at, cursor);
                            statement.setInt(at + 1, limit);
                            statement.setString(at + 2, workspaceId.value());
                        },
                        PostgresTallyStore::contact);
        return new SummarySearch(page, counts[0], counts[1]);
    }

    private Map<EventName, SummaryCopies.Current> versions(WorkspaceId workspaceId, List<String> names) {
        Map<EventName, SummaryCopies.Current> current = new HashMap<>();
        store.query(
                "read event versions",
                VERSIONS,
                statement -> {
                    statement.setString(1, workspaceId.value());
                    statement.setArray(2, statement.getConnection().createArrayOf("text", names.toArray()));
                },
                rows -> current.put(
                        new EventName(rows.getString(1)), new SummaryCopies.Current(rows.getLong(2), rows.getLong(3))));
        return current;
    }

    private static Map<EventName, PackedIndex> indexes(Map<EventName, SummaryCopy> copies) {
        Map<EventName, PackedIndex> indexes = new HashMap<>();
        copies.forEach((name, copy) -> indexes.put(name, copy.index()));
        return indexes;
    }

    /** The page's contacts; empty if one of them is gone (deleted since the versions were read). */
    private Optional<SummarySearch> withContacts(WorkspaceId workspaceId, PackedIndexSearch.Matches matches) {
        if (matches.page().isEmpty()) {
            return Optional.of(new SummarySearch(List.of(), matches.total(), matches.before()));
        }
        List<Contact> page = store.query(
                "read a search page",
                CONTACTS,
                statement -> {
                    statement.setString(1, workspaceId.value());
                    statement.setArray(
                            2,
                            statement
                                    .getConnection()
                                    .createArrayOf(
                                            "text",
                                            matches.page().stream()
                                                    .map(id -> new String(id, StandardCharsets.UTF_8))
                                                    .toArray()));
                },
                PostgresTallyStore::contact);
        return page.size() == matches.page().size()
                ? Optional.of(new SummarySearch(page, matches.total(), matches.before()))
                : Optional.empty();
    }

    /**
     * A name's version and all its rows, in one read-only REPEATABLE READ transaction, so the two
     * are of the same snapshot: the copy holds exactly the rows of that version.
     */
    private Optional<SummaryCopy> readCopy(WorkspaceId workspaceId, EventName name, long maxBytes) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                long started = System.nanoTime();
                Optional<SummaryCopy> copy = readCopy(connection, workspaceId, name, maxBytes);
                connection.commit();
                log.debug(
                        "event=summary_copy_read workspace={} name={} version={} contacts={} bytes={} ms={}",
                        workspaceId,
                        name,
                        copy.map(SummaryCopy::version).orElse(NO_VERSION),
                        copy.map(found -> found.index().size()).orElse(-1),
                        copy.map(SummaryCopy::bytes).orElse(-1L),
                        (System.nanoTime() - started) / 1_000_000);
                return copy;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw SqlErrors.translate("copy an event's summaries", e);
        }
    }

    private static Optional<SummaryCopy> readCopy(
            Connection connection, WorkspaceId workspaceId, EventName name, long maxBytes) throws SQLException {
        long version;
        try (PreparedStatement statement = connection.prepareStatement(VERSION)) {
            statement.setString(1, workspaceId.value());
            statement.setString(2, name.value());
            try (ResultSet rows = statement.executeQuery()) {
                // No statement deletes catalog rows; were one gone, a copy of no version serves no search.
                version = rows.next() ? rows.getLong(1) : NO_VERSION;
            }
        }
        PackedIndex.Builder builder = new PackedIndex.Builder(maxBytes);
        try (PreparedStatement statement = connection.prepareStatement(ROWS)) {
            statement.setFetchSize(FETCH_SIZE);
            statement.setString(1, workspaceId.value());
            statement.setString(2, name.value());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    byte[] id = rows.getString(1).getBytes(StandardCharsets.UTF_8);
                    if (!builder.add(id, 0, id.length, rows.getLong(2), rows.getLong(3), rows.getLong(4))) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.of(new SummaryCopy(version, builder.build()));
    }
}
