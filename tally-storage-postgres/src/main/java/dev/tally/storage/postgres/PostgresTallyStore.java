package dev.tally.storage.postgres;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tally.auth.AccessToken;
import dev.tally.auth.Scope;
import dev.tally.auth.TokenHash;
import dev.tally.auth.TokenId;
import dev.tally.catalog.CatalogEntry;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.Role;
import dev.tally.error.StoreUnavailableException;
import dev.tally.event.AppendResult;
import dev.tally.event.DataEvent;
import dev.tally.event.EventCursor;
import dev.tally.event.EventId;
import dev.tally.event.EventName;
import dev.tally.metadata.MetadataJson;
import dev.tally.search.SummaryCondition;
import dev.tally.storage.StoreOperations;
import dev.tally.storage.SummarySearch;
import dev.tally.storage.TallyStore;
import dev.tally.storage.WebhookStore;
import dev.tally.summary.ContactSummary;
import dev.tally.summary.DailyContactCount;
import dev.tally.summary.DailyEventCount;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.AppId;
import dev.tally.workspace.BrowserSettings;
import dev.tally.workspace.IdentitySecret;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store for deployments with several Tally nodes on one PostgreSQL (or Citus) database.
 * Everything that must hold across nodes (de-duplication, summaries, tracked keys) is decided by
 * the database, never by a lock in this process; see {@link EventWriter}. Appends go through a
 * {@link GroupCommitter}: one transaction for everything queued.
 */
public final class PostgresTallyStore implements TallyStore {
    private static final Logger log = LoggerFactory.getLogger(PostgresTallyStore.class);
    static final String MIGRATIONS = "classpath:db/migration/postgres";

    private final HikariDataSource dataSource;
    private final GroupCommitter committer;
    private final StoreOperations operations;
    private final PostgresWebhookStore webhooks;
    private final SummarySearches summarySearches;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PostgresTallyStore(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.webhooks = new PostgresWebhookStore(this);
        this.committer = new GroupCommitter(new EventWriter(dataSource, webhooks));
        this.summarySearches = new SummarySearches(this, dataSource, new SummaryCopies());
        this.operations = new PostgresOperations(committer, dataSource, summarySearches::statistics);
        webhooks.start();
    }

    /**
     * Connects, brings the schema up to date with Flyway, then serves. Nodes starting together are
     * safe: Flyway holds a PostgreSQL advisory lock while it migrates.
     */
    public static PostgresTallyStore open(PostgresConfig config) {
        requireNonNull(config, "config is null");
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(hikariConfig(config));
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("cannot connect to PostgreSQL (" + config + "): " + e.getMessage(), e);
        }
        try {
            var flyway = Flyway.configure()
                    .dataSource(dataSource)
                    .locations(MIGRATIONS)
                    .failOnMissingLocations(true);
            config.schema().ifPresent(schema -> flyway.schemas(schema).createSchemas(true));
            var migrated = flyway.load().migrate();
            log.info(
                    "event=postgres_migrated from={} to={} applied={}",
                    Optional.ofNullable(migrated.initialSchemaVersion).orElse("empty"),
                    migrated.targetSchemaVersion,
                    migrated.migrationsExecuted);
        } catch (FlywayException e) {
            dataSource.close();
            throw new StoreUnavailableException("cannot migrate the PostgreSQL schema: " + e.getMessage(), e);
        }
        return new PostgresTallyStore(dataSource);
    }

    private static HikariConfig hikariConfig(PostgresConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("tally-postgres");
        hikari.setJdbcUrl(config.jdbcUrl());
        config.user().ifPresent(hikari::setUsername);
        config.password().ifPresent(hikari::setPassword);
        config.schema().ifPresent(hikari::setSchema);
        hikari.setMaximumPoolSize(config.poolSize());
        // A database that is down should answer 503 quickly, not hold requests for Hikari's 30 s.
        hikari.setConnectionTimeout(5_000);
        hikari.addDataSourceProperty("ApplicationName", "tally");
        return hikari;
    }

    // ---- workspaces and tokens

    @Override
    public void insertWorkspace(Workspace workspace) {
        update("insert a workspace", """
                INSERT INTO workspaces (workspace_id, name, created_at, rate_limit_per_minute, app_id,
                    identity_verification_secret, allowed_origins, enforce_identity_verification)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", statement -> {
            statement.setString(1, workspace.id().value());
            statement.setString(2, workspace.name());
            statement.setBigDecimal(3, Instants.toNumeric(workspace.createdAt()));
            setOptionalLong(statement, 4, workspace.rateLimitPerMinute());
            setBrowserSettings(statement, 5, workspace.browser());
        });
    }

    @Override
    public Optional<Workspace> findWorkspace(WorkspaceId id) {
        return query(
                        "read a workspace",
                        "SELECT * FROM workspaces WHERE workspace_id = ?",
                        statement -> statement.setString(1, id.value()),
                        PostgresTallyStore::workspace)
                .stream()
                .findFirst();
    }

    @Override
    public List<Workspace> listWorkspaces() {
        return query(
                "list workspaces",
                "SELECT * FROM workspaces ORDER BY workspace_id",
                statement -> {},
                PostgresTallyStore::workspace);
    }

    @Override
    public boolean updateWorkspace(Workspace workspace) {
        return update("update a workspace", """
                        UPDATE workspaces SET name = ?, created_at = ?, rate_limit_per_minute = ?, app_id = ?,
                            identity_verification_secret = ?, allowed_origins = ?, enforce_identity_verification = ?
                        WHERE workspace_id = ?""", statement -> {
                    statement.setString(1, workspace.name());
                    statement.setBigDecimal(2, Instants.toNumeric(workspace.createdAt()));
                    setOptionalLong(statement, 3, workspace.rateLimitPerMinute());
                    setBrowserSettings(statement, 4, workspace.browser());
                    statement.setString(8, workspace.id().value());
                })
                > 0;
    }

    @Override
    public void insertToken(AccessToken token) {
        update("insert a token", """
                INSERT INTO access_tokens
                    (token_hash, workspace_id, token_id, scopes, label, created_at, revoked_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", statement -> {
            statement.setString(1, token.hash().hex());
            statement.setString(2, token.workspaceId().value());
            statement.setString(3, token.id().value());
            statement.setArray(4, scopes(statement.getConnection(), token.scopes()));
            statement.setString(5, token.label());
            statement.setBigDecimal(6, Instants.toNumeric(token.createdAt()));
            statement.setBigDecimal(
                    7, token.revokedAt().map(Instants::toNumeric).orElse(null));
        });
    }

    @Override
    public Optional<AccessToken> findToken(TokenHash hash) {
        return query(
                        "read a token",
                        "SELECT * FROM access_tokens WHERE token_hash = ?",
                        statement -> statement.setString(1, hash.hex()),
                        PostgresTallyStore::token)
                .stream()
                .findFirst();
    }

    @Override
    public List<AccessToken> listTokens(WorkspaceId workspaceId) {
        return query(
                "list tokens",
                "SELECT * FROM access_tokens WHERE workspace_id = ? ORDER BY created_at, token_id",
                statement -> statement.setString(1, workspaceId.value()),
                PostgresTallyStore::token);
    }

    @Override
    public boolean updateToken(AccessToken token) {
        return update("update a token", """
                        UPDATE access_tokens
                        SET token_hash = ?, scopes = ?, label = ?, created_at = ?, revoked_at = ?
                        WHERE workspace_id = ? AND token_id = ?""", statement -> {
                    statement.setString(1, token.hash().hex());
                    statement.setArray(2, scopes(statement.getConnection(), token.scopes()));
                    statement.setString(3, token.label());
                    statement.setBigDecimal(4, Instants.toNumeric(token.createdAt()));
                    statement.setBigDecimal(
                            5, token.revokedAt().map(Instants::toNumeric).orElse(null));
                    statement.setString(6, token.workspaceId().value());
                    statement.setString(7, token.id().value());
                })
                > 0;
    }

    // ---- contacts

    @Override
    public boolean insertContact(Contact contact) {
        return update("insert a contact", DailyCounts.countingInsertedContact("""
                        INSERT INTO contacts (workspace_id, contact_id, role, external_id, email, name,
                            created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT DO NOTHING"""), statement -> {
                    statement.setString(1, contact.workspaceId().value());
                    statement.setString(2, contact.id().value());
                    setContactFields(statement, 3, contact);
                })
                > 0;
    }

    @Override
    public boolean updateContact(Contact contact) {
        String sql = """
                UPDATE contacts SET role = ?, external_id = ?, email = ?, name = ?, created_at = ?, updated_at = ?
                WHERE workspace_id = ? AND contact_id = ?""";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            setContactFields(statement, 1, contact);
            statement.setString(7, contact.workspaceId().value());
            statement.setString(8, contact.id().value());
            return statement.executeUpdate() > 0;
        } catch (SQLException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                // The new external id belongs to another contact of the workspace.
                return false;
            }
            throw SqlErrors.translate("update a contact", e);
        }
    }

    @Override
    public Optional<Contact> findContact(WorkspaceId workspaceId, ContactId id) {
        return query(
                        "read a contact",
                        "SELECT * FROM contacts WHERE workspace_id = ? AND contact_id = ?",
                        statement -> {
                            statement.setString(1, workspaceId.value());
                            statement.setString(2, id.value());
                        },
                        PostgresTallyStore::contact)
                .stream()
                .findFirst();
    }

    @Override
    public Optional<Contact> findContactByExternalId(WorkspaceId workspaceId, String externalId) {
        return query(
                        "read a contact",
                        "SELECT * FROM contacts WHERE workspace_id = ? AND external_id = ?",
                        statement -> {
                            statement.setString(1, workspaceId.value());
                            statement.setString(2, externalId);
                        },
                        PostgresTallyStore::contact)
                .stream()
                .findFirst();
    }

    @Override
    public List<Contact> findContactsByEmail(WorkspaceId workspaceId, String email) {
        return query(
                "find contacts by email",
                "SELECT * FROM contacts WHERE workspace_id = ? AND email = ? ORDER BY contact_id",
                statement -> {
                    statement.setString(1, workspaceId.value());
                    statement.setString(2, email);
                },
                PostgresTallyStore::contact);
    }

    @Override
    public List<Contact> listContacts(WorkspaceId workspaceId, Optional<ContactId> after, int limit) {
        return query(
                "list contacts",
                "SELECT * FROM contacts WHERE workspace_id = ? AND contact_id > ? ORDER BY contact_id LIMIT ?",
                statement -> {
                    statement.setString(1, workspaceId.value());
                    statement.setString(2, after.map(ContactId::value).orElse(""));
                    statement.setInt(3, Math.max(0, limit));
                },
                PostgresTallyStore::contact);
    }

    @Override
    public long countContacts(WorkspaceId workspaceId) {
        return query(
                        "count contacts",
                        "SELECT count(*) FROM contacts WHERE workspace_id = ?",
                        statement -> statement.setString(1, workspaceId.value()),
                        rows -> rows.getLong(1))
                .get(0);
    }

    @Override
    public boolean deleteContact(WorkspaceId workspaceId, ContactId id) {
        // Summaries go only through CatalogReader.contactDeleted, which takes them out of the catalog
        // and bumps their names' versions; after the events, as an append writes them (same lock order).
        return transaction("delete a contact", connection -> {
            boolean deleted = deleteRows(connection, "contacts", workspaceId, id) > 0;
            deleteRows(connection, "events", workspaceId, id);
            CatalogReader.contactDeleted(connection, workspaceId, id);
            deleteRows(connection, "event_baselines", workspaceId, id);
            return deleted;
        });
    }

    private static int deleteRows(Connection connection, String table, WorkspaceId workspaceId, ContactId id)
            throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("DELETE FROM " + table + " WHERE workspace_id = ? AND contact_id = ?")) {
            statement.setString(1, workspaceId.value());
            statement.setString(2, id.value());
            return statement.executeUpdate();
        }
    }

    // ---- events and summaries

    @Override
    public List<AppendResult> append(List<DataEvent> events) {
        requireNonNull(events, "events is null");
        if (events.isEmpty()) {
            return List.of();
        }
        return committer.append(events);
    }

    @Override
    public List<DataEvent> listEvents(
            WorkspaceId workspaceId, ContactId contactId, long minCreatedAt, Optional<EventCursor> after, int limit) {
        String sql = """
                SELECT event_id, created_at, name, metadata FROM events
                WHERE workspace_id = ? AND contact_id = ? AND created_at >= ?
                """
                + (after.isPresent() ? "AND (created_at < ? OR (created_at = ? AND name > ?))\n" : "")
                + "ORDER BY created_at DESC, name ASC LIMIT ?";
        return query(
                "list events",
                sql,
                statement -> {
                    int parameter = 1;
                    statement.setString(parameter++, workspaceId.value());
                    statement.setString(parameter++, contactId.value());
                    statement.setLong(parameter++, minCreatedAt);
                    if (after.isPresent()) {
                        statement.setLong(parameter++, after.get().createdAt());
                        statement.setLong(parameter++, after.get().createdAt());
                        statement.setString(parameter++, after.get().name().value());
                    }
                    statement.setInt(parameter, Math.max(0, limit));
                },
                rows -> new DataEvent(
                        new EventId(rows.getString("event_id")),
                        workspaceId,
                        contactId,
                        new EventName(rows.getString("name")),
                        rows.getLong("created_at"),
                        MetadataJson.readStored(rows.getString("metadata"))));
    }

    @Override
    public List<EventSummary> summaries(WorkspaceId workspaceId, ContactId contactId) {
        return summaryRows("event_summaries", workspaceId, contactId);
    }

    @Override
    public List<EventSummary> baselines(WorkspaceId workspaceId, ContactId contactId) {
        return summaryRows("event_baselines", workspaceId, contactId);
    }

    private List<EventSummary> summaryRows(String table, WorkspaceId workspaceId, ContactId contactId) {
        return query(
                "read " + table,
                "SELECT name, event_count, first_at, last_at FROM " + table
                        + " WHERE workspace_id = ? AND contact_id = ? ORDER BY name",
                statement -> {
                    statement.setString(1, workspaceId.value());
                    statement.setString(2, contactId.value());
                },
                rows -> new EventSummary(
                        new EventName(rows.getString("name")),
                        rows.getLong("event_count"),
                        rows.getLong("first_at"),
                        rows.getLong("last_at")));
    }

    @Override
    public void putBaselines(WorkspaceId workspaceId, ContactId contactId, List<EventSummary> baselines) {
        // One row per name, the last given winning: an upsert may not touch a row twice.
        Map<EventName, EventSummary> byName = new LinkedHashMap<>();
        baselines.forEach(baseline -> byName.put(baseline.name(), baseline));
        if (byName.isEmpty()) {
            return;
        }
        List<EventSummary> sorted = byName.values().stream()
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .toList();
        update("store baselines", """
                INSERT INTO event_baselines (workspace_id, contact_id, name, event_count, first_at, last_at)
                SELECT ?, ?, n, k, f, l
                FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[]) WITH ORDINALITY AS b(n, k, f, l, o)
                ORDER BY o
                ON CONFLICT (workspace_id, contact_id, name) DO UPDATE SET
                    event_count = excluded.event_count, first_at = excluded.first_at, last_at = excluded.last_at""", statement -> {
            Connection connection = statement.getConnection();
            statement.setString(1, workspaceId.value());
            statement.setString(2, contactId.value());
            statement.setArray(
                    3,
                    connection.createArrayOf(
                            "text", sorted.stream().map(s -> s.name().value()).toArray()));
            statement.setArray(
                    4,
                    connection.createArrayOf(
                            "bigint", sorted.stream().map(EventSummary::count).toArray()));
            statement.setArray(
                    5,
                    connection.createArrayOf(
                            "bigint", sorted.stream().map(EventSummary::first).toArray()));
            statement.setArray(
                    6,
                    connection.createArrayOf(
                            "bigint", sorted.stream().map(EventSummary::last).toArray()));
        });
    }

    @Override
    public List<String> trackedKeys(WorkspaceId workspaceId, EventName name) {
        return query(
                        "read tracked keys",
                        "SELECT keys FROM tracked_keys WHERE workspace_id = ? AND name = ?",
                        statement -> {
                            statement.setString(1, workspaceId.value());
                            statement.setString(2, name.value());
                        },
                        rows -> List.of((String[]) rows.getArray("keys").getArray()))
                .stream()
                .findFirst()
                .orElse(List.of());
    }

    // ---- small documents

    /**
     * Stores (replacing) a small JSON document. Not yet in this branch's SPI: main's {@code
     * TallyStore} gained {@code putDocument}/{@code findDocument} for bulk jobs, and these
     * implement it as soon as the branches meet.
     */
    @Override
    public void putDocument(WorkspaceId workspaceId, String kind, String id, String json) {
        update("store a document", """
                INSERT INTO documents (workspace_id, kind, document_id, body) VALUES (?, ?, ?, ?)
                ON CONFLICT (workspace_id, kind, document_id) DO UPDATE SET body = excluded.body""", statement -> {
            statement.setString(1, workspaceId.value());
            statement.setString(2, kind);
            statement.setString(3, id);
            statement.setString(4, json);
        });
    }

    @Override
    public Optional<String> findDocument(WorkspaceId workspaceId, String kind, String id) {
        return query(
                        "read a document",
                        "SELECT body FROM documents WHERE workspace_id = ? AND kind = ? AND document_id = ?",
                        statement -> {
                            statement.setString(1, workspaceId.value());
                            statement.setString(2, kind);
                            statement.setString(3, id);
                        },
                        rows -> rows.getString(1))
                .stream()
                .findFirst();
    }

    // ---- event catalog and search index

    @Override
    public List<CatalogEntry> catalog(WorkspaceId workspaceId) {
        return query(
                        "read the event catalog",
                        CatalogReader.CATALOG,
                        statement -> statement.setString(1, workspaceId.value()),
                        CatalogReader::row)
                .stream()
                .collect(CatalogReader.entries());
    }

    @Override
    public boolean setArchived(WorkspaceId workspaceId, EventName name, boolean archived) {
        return update(
                        "archive an event name",
                        "UPDATE event_catalog SET archived = ? WHERE workspace_id = ? AND name = ?",
                        statement -> {
                            statement.setBoolean(1, archived);
                            statement.setString(2, workspaceId.value());
                            statement.setString(3, name.value());
                        })
                > 0;
    }

    @Override
    public List<ContactSummary> eventIndex(
            WorkspaceId workspaceId, EventName name, Optional<ContactId> atOrAfter, int limit) {
        return query(
                "read an event index",
                "SELECT contact_id, event_count, first_at, last_at FROM event_summaries"
                        + " WHERE workspace_id = ? AND name = ? AND contact_id >= ? ORDER BY contact_id LIMIT ?",
                statement -> {
                    statement.setString(1, workspaceId.value());
                    statement.setString(2, name.value());
                    statement.setString(3, atOrAfter.map(ContactId::value).orElse(""));
                    statement.setInt(4, limit);
                },
                rows -> new ContactSummary(
                        new ContactId(rows.getString(1)),
                        new EventSummary(name, rows.getLong(2), rows.getLong(3), rows.getLong(4))));
    }

    @Override
    public Optional<SummarySearch> searchSummaries(
            WorkspaceId workspaceId, List<SummaryCondition> conditions, Optional<ContactId> after, int limit) {
        if (conditions.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(summarySearches.search(workspaceId, conditions, after, limit));
    }

    /** The same search always in SQL, never from copies: what a copy's answer must equal (tests). */
    SummarySearch searchSummariesInSql(
            WorkspaceId workspaceId, List<SummaryCondition> conditions, Optional<ContactId> after, int limit) {
        return summarySearches.inSql(workspaceId, conditions, after, limit);
    }

    @Override
    public List<String> listDocuments(WorkspaceId workspaceId, String kind) {
        return query(
                "list documents",
                "SELECT body FROM documents WHERE workspace_id = ? AND kind = ? ORDER BY document_id",
                statement -> {
                    statement.setString(1, workspaceId.value());
                    statement.setString(2, kind);
                },
                rows -> rows.getString(1));
    }

    @Override
    public boolean deleteDocument(WorkspaceId workspaceId, String kind, String id) {
        return update(
                        "delete a document",
                        "DELETE FROM documents WHERE workspace_id = ? AND kind = ? AND document_id = ?",
                        statement -> {
                            statement.setString(1, workspaceId.value());
                            statement.setString(2, kind);
                            statement.setString(3, id);
                        })
                > 0;
    }

    // ---- webhooks

    @Override
    public WebhookStore webhooks() {
        return webhooks;
    }

    // ---- operations

    @Override
    public void checkHealth() {
        query("answer a health check", "SELECT 1", statement -> {}, rows -> rows.getInt(1));
    }

    @Override
    public StoreOperations operations() {
        return operations;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        committer.close();
        webhooks.close();
        dataSource.close();
    }

    // ---- plumbing

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    <T> List<T> query(String action, String sql, Binder binder, RowReader<T> reader) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            List<T> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(reader.read(rows));
                }
            }
            return values;
        } catch (SQLException e) {
            throw SqlErrors.translate(action, e);
        }
    }

    int update(String action, String sql, Binder binder) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            return statement.executeUpdate();
        } catch (SQLException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                // Ids are random and checked before insert: a collision is a bug, not an outage.
                throw new IllegalStateException("cannot " + action + ": " + e.getMessage(), e);
            }
            throw SqlErrors.translate(action, e);
        }
    }

    /** Runs {@code work} in one transaction, again on a deadlock or serialization failure. */
    <T> T transaction(String action, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                if (!SqlErrors.isRetryable(e) || attempt >= 10) {
                    throw SqlErrors.translate(action, e);
                }
            }
        }
    }

    @Override
    public List<DailyEventCount> dailyEventCounts(WorkspaceId workspaceId, LocalDate from, LocalDate to) {
        return query(
                "read daily event counts",
                DailyCounts.READ_EVENTS,
                statement -> bindRange(statement, workspaceId, from, to),
                DailyCounts::eventCount);
    }

    @Override
    public void subtractDailyEventCounts(WorkspaceId workspaceId, List<DailyEventCount> counts) {
        transaction("subtract daily counts", connection -> {
            DailyCounts.subtract(connection, workspaceId, counts);
            return true;
        });
    }

    @Override
    public List<DailyContactCount> dailyContactCounts(WorkspaceId workspaceId, LocalDate from, LocalDate to) {
        return query(
                "read daily contact counts",
                DailyCounts.READ_CONTACTS,
                statement -> bindRange(statement, workspaceId, from, to),
                DailyCounts::contactCount);
    }

    private static void bindRange(PreparedStatement statement, WorkspaceId workspaceId, LocalDate from, LocalDate to)
            throws SQLException {
        statement.setString(1, workspaceId.value());
        statement.setDate(2, java.sql.Date.valueOf(from));
        statement.setDate(3, java.sql.Date.valueOf(to));
    }

    private static Workspace workspace(ResultSet rows) throws SQLException {
        long limit = rows.getLong("rate_limit_per_minute");
        OptionalLong rateLimit = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(limit);
        BrowserSettings browser = new BrowserSettings(
                new AppId(rows.getString("app_id")),
                new IdentitySecret(rows.getString("identity_verification_secret")),
                List.of((String[]) rows.getArray("allowed_origins").getArray()),
                rows.getBoolean("enforce_identity_verification"));
        return new Workspace(
                new WorkspaceId(rows.getString("workspace_id")),
                rows.getString("name"),
                Instants.fromNumeric(rows.getBigDecimal("created_at")),
                rateLimit,
                browser);
    }

    /** Sets app id, secret, origins and the enforcement flag at {@code first} and the three after it. */
    private static void setBrowserSettings(PreparedStatement statement, int first, BrowserSettings browser)
            throws SQLException {
        statement.setString(first, browser.appId().value());
        statement.setString(first + 1, browser.identitySecret().value());
        statement.setArray(
                first + 2,
                statement
                        .getConnection()
                        .createArrayOf("text", browser.allowedOrigins().toArray()));
        statement.setBoolean(first + 3, browser.enforceIdentityVerification());
    }

    private static AccessToken token(ResultSet rows) throws SQLException {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String scope : (String[]) rows.getArray("scopes").getArray()) {
            scopes.add(Scope.fromWireName(scope)
                    .orElseThrow(() -> new IllegalStateException("unknown scope in access_tokens: " + scope)));
        }
        return new AccessToken(
                new TokenId(rows.getString("token_id")),
                new WorkspaceId(rows.getString("workspace_id")),
                new TokenHash(rows.getString("token_hash")),
                scopes,
                rows.getString("label"),
                Instants.fromNumeric(rows.getBigDecimal("created_at")),
                Optional.ofNullable(rows.getBigDecimal("revoked_at")).map(Instants::fromNumeric));
    }

    static Contact contact(ResultSet rows) throws SQLException {
        String role = rows.getString("role");
        return new Contact(
                new ContactId(rows.getString("contact_id")),
                new WorkspaceId(rows.getString("workspace_id")),
                Role.fromWireName(role)
                        .orElseThrow(() -> new IllegalStateException("unknown role in contacts: " + role)),
                Optional.ofNullable(rows.getString("external_id")),
                Optional.ofNullable(rows.getString("email")),
                Optional.ofNullable(rows.getString("name")),
                Instants.fromNumeric(rows.getBigDecimal("created_at")),
                Instants.fromNumeric(rows.getBigDecimal("updated_at")));
    }

    private static void setContactFields(PreparedStatement statement, int first, Contact contact) throws SQLException {
        statement.setString(first, contact.role().wireName());
        statement.setString(first + 1, contact.externalId().orElse(null));
        statement.setString(first + 2, contact.email().orElse(null));
        statement.setString(first + 3, contact.name().orElse(null));
        statement.setBigDecimal(first + 4, Instants.toNumeric(contact.createdAt()));
        statement.setBigDecimal(first + 5, Instants.toNumeric(contact.updatedAt()));
    }

    private static void setOptionalLong(PreparedStatement statement, int index, OptionalLong value)
            throws SQLException {
        if (value.isPresent()) {
            statement.setLong(index, value.getAsLong());
        } else {
            statement.setNull(index, Types.BIGINT);
        }
    }

    private static Array scopes(Connection connection, Set<Scope> scopes) throws SQLException {
        return connection.createArrayOf(
                "text", scopes.stream().map(Scope::wireName).sorted().toArray());
    }
}
