package dev.tally.storage;

import dev.tally.auth.AccessToken;
import dev.tally.auth.TokenHash;
import dev.tally.catalog.CatalogEntry;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.event.AppendResult;
import dev.tally.event.DataEvent;
import dev.tally.event.EventCursor;
import dev.tally.event.EventName;
import dev.tally.search.SummaryCondition;
import dev.tally.summary.ContactSummary;
import dev.tally.summary.DailyContactCount;
import dev.tally.summary.DailyEventCount;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Everything Tally keeps. Every method that takes a {@link WorkspaceId} sees only that workspace:
 * an id of another workspace is absent, never visible.
 *
 * <p>Failures to read or commit are thrown as {@link dev.tally.error.StoreUnavailableException}.
 * A method that returns has committed durably.
 */
public interface TallyStore extends AutoCloseable {

    // ---- workspaces and tokens

    void insertWorkspace(Workspace workspace);

    Optional<Workspace> findWorkspace(WorkspaceId id);

    List<Workspace> listWorkspaces();

    /** Replaces a workspace's settings; false if it does not exist. */
    boolean updateWorkspace(Workspace workspace);

    void insertToken(AccessToken token);

    Optional<AccessToken> findToken(TokenHash hash);

    List<AccessToken> listTokens(WorkspaceId workspaceId);

    /** Replaces a token (to revoke it); false if it does not exist in that workspace. */
    boolean updateToken(AccessToken token);

    // ---- contacts

    /**
     * Inserts a contact. Returns false, inserting nothing, when another contact of the workspace
     * already has the same external id. A contact whose id was not stored before counts, in the
     * same commit, in the {@link #dailyContactCounts daily count} of the UTC day of its {@code createdAt}.
     */
    boolean insertContact(Contact contact);

    /**
     * Replaces a contact's fields. Returns false, changing nothing, when the new external id
     * belongs to another contact of the workspace or the contact does not exist.
     */
    boolean updateContact(Contact contact);

    Optional<Contact> findContact(WorkspaceId workspaceId, ContactId id);

    Optional<Contact> findContactByExternalId(WorkspaceId workspaceId, String externalId);

    /** Every contact of the workspace with that email (compared exactly), in id order. */
    List<Contact> findContactsByEmail(WorkspaceId workspaceId, String email);

    /** Contacts in id order, starting strictly after {@code after}; at most {@code limit}. */
    List<Contact> listContacts(WorkspaceId workspaceId, Optional<ContactId> after, int limit);

    /** How many contacts the workspace has (the {@code total_count} of a contact list). */
    long countContacts(WorkspaceId workspaceId);

    /** Deletes a contact with its events, summaries and baselines; false if it did not exist. */
    boolean deleteContact(WorkspaceId workspaceId, ContactId id);

    // ---- events and summaries

    /**
     * Stores events durably, in one commit where the backend can, and returns one result per event
     * in the same order. For each event, in order: if an event with the same {@link
     * dev.tally.event.EventKey} is stored (or earlier in this list), it is a duplicate and changes
     * nothing; otherwise its metadata is filtered through the event name's {@link
     * dev.tally.metadata.TrackedKeys} (max 10) which are updated, the event is stored, its
     * contact's summary for that name counts it, and so does the workspace's {@link
     * #dailyEventCounts daily count} of its name on the UTC day of its {@code createdAt}.
     *
     * <p>The contacts must exist. Returns only after the commit is durable.
     */
    List<AppendResult> append(List<DataEvent> events);

    /**
     * A contact's events ordered by createdAt descending then name ascending, only those with
     * {@code createdAt >= minCreatedAt}, starting strictly after {@code after}; at most {@code limit}.
     */
    List<DataEvent> listEvents(
            WorkspaceId workspaceId, ContactId contactId, long minCreatedAt, Optional<EventCursor> after, int limit);

    /** The stored-event summaries of a contact, by name ascending. Never computed by scanning events. */
    List<EventSummary> summaries(WorkspaceId workspaceId, ContactId contactId);

    /** The baselines posted for a contact, by name ascending. */
    List<EventSummary> baselines(WorkspaceId workspaceId, ContactId contactId);

    /** Sets (replacing) a contact's baseline for each summary's name. */
    void putBaselines(WorkspaceId workspaceId, ContactId contactId, List<EventSummary> baselines);

    /** The keys an event name tracks in a workspace, in the order they were first seen. */
    List<String> trackedKeys(WorkspaceId workspaceId, EventName name);

    // ---- event catalog and search index

    /**
     * The workspace's event catalog, archived names included, by name. Stores keep it inside the
     * commit of {@link #append} and {@link #deleteContact}: never computed by scanning events.
     */
    List<CatalogEntry> catalog(WorkspaceId workspaceId);

    /** Archives or unarchives a name; false, changing nothing, if no event of it was ever stored. */
    boolean setArchived(WorkspaceId workspaceId, EventName name, boolean archived);

    /**
     * The index of one event name: each contact with at least one stored event of it, and its
     * summary (stored events only, no baselines), in contact id order, starting at {@code atOrAfter}
     * (inclusive); at most {@code limit}. Kept in the same commits as the summaries.
     */
    List<ContactSummary> eventIndex(WorkspaceId workspaceId, EventName name, Optional<ContactId> atOrAfter, int limit);

    /**
     * The contacts that did every named event with every condition true, answered by the store
     * itself (e.g. in one SQL statement) where that is faster than the search engine's walk of
     * {@link #eventIndex} pages: the matches after {@code after} (at most {@code limit}, in contact
     * id order), the total, and how many are at or before {@code after}. Empty where the store has
     * no faster way (the default): the engine then walks the index, with the same result.
     */
    default Optional<SummarySearch> searchSummaries(
            WorkspaceId workspaceId, List<SummaryCondition> conditions, Optional<ContactId> after, int limit) {
        return Optional.empty();
    }

    // ---- daily counts: the dashboard's overview, kept on ingest (append, insertContact)

    /**
     * The workspace's event counts per UTC day and name, for days {@code from} to {@code to}
     * inclusive, ordered by day then name; days and names without events are absent. Read from
     * counters kept on ingest, never by scanning events. Deleting a contact does not lower them: they
     * count what was received.
     */
    List<DailyEventCount> dailyEventCounts(WorkspaceId workspaceId, LocalDate from, LocalDate to);

    /**
     * Lowers the daily counts by these amounts (never below zero): a merge moves a lead's events to
     * a user through {@link #append}, which counts them again, and takes back what it moved.
     */
    void subtractDailyEventCounts(WorkspaceId workspaceId, List<DailyEventCount> counts);

    /** Contacts created per UTC day from {@code from} to {@code to} inclusive, by day; empty days are absent. */
    List<DailyContactCount> dailyContactCounts(WorkspaceId workspaceId, LocalDate from, LocalDate to);

    // ---- small documents: bulk jobs, merge records, segments

    /**
     * Stores (replacing) a small JSON document of a {@code kind} under an {@code id}. For records
     * that are read by id only and are not on the ingest path (bulk jobs, merged-contact markers).
     */
    void putDocument(WorkspaceId workspaceId, String kind, String id, String json);

    Optional<String> findDocument(WorkspaceId workspaceId, String kind, String id);

    /** Every document of a kind, in id order. For kinds with few documents (segments). */
    List<String> listDocuments(WorkspaceId workspaceId, String kind);

    /** Deletes a document; false if there was none. */
    boolean deleteDocument(WorkspaceId workspaceId, String kind, String id);

    // ---- webhooks

    /** Subscriptions and the notification outbox; {@link #append} queues notifications in its commit. */
    WebhookStore webhooks();

    // ---- operations

    /** Throws {@link dev.tally.error.StoreUnavailableException} if the store cannot serve. */
    void checkHealth();

    /** Metrics and backups of this store. */
    StoreOperations operations();

    /** Finishes pending commits, then releases the store. */
    @Override
    void close();
}
