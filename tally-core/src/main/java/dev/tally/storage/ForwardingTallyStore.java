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
 * A {@link TallyStore} that forwards every call to {@link #delegate()}. A decorator extends it and
 * overrides only what it changes, so a method added to the SPI reaches the wrapped store through every
 * decorator instead of being silently masked (Zipkin's {@code ForwardingStorageComponent}).
 */
public abstract class ForwardingTallyStore implements TallyStore {
    /** The store every call goes to; called once per call, so a decorator can act before each one. */
    protected abstract TallyStore delegate();

    @Override
    public void insertWorkspace(Workspace workspace) {
        delegate().insertWorkspace(workspace);
    }

    @Override
    public Optional<Workspace> findWorkspace(WorkspaceId id) {
        return delegate().findWorkspace(id);
    }

    @Override
    public List<Workspace> listWorkspaces() {
        return delegate().listWorkspaces();
    }

    @Override
    public boolean updateWorkspace(Workspace workspace) {
        return delegate().updateWorkspace(workspace);
    }

    @Override
    public void insertToken(AccessToken token) {
        delegate().insertToken(token);
    }

    @Override
    public Optional<AccessToken> findToken(TokenHash hash) {
        return delegate().findToken(hash);
    }

    @Override
    public List<AccessToken> listTokens(WorkspaceId workspaceId) {
        return delegate().listTokens(workspaceId);
    }

    @Override
    public boolean updateToken(AccessToken token) {
        return delegate().updateToken(token);
    }

    @Override
    public boolean insertContact(Contact contact) {
        return delegate().insertContact(contact);
    }

    @Override
    public boolean updateContact(Contact contact) {
        return delegate().updateContact(contact);
    }

    @Override
    public Optional<Contact> findContact(WorkspaceId workspaceId, ContactId id) {
        return delegate().findContact(workspaceId, id);
    }

    @Override
    public Optional<Contact> findContactByExternalId(WorkspaceId workspaceId, String externalId) {
        return delegate().findContactByExternalId(workspaceId, externalId);
    }

    @Override
    public List<Contact> findContactsByEmail(WorkspaceId workspaceId, String email) {
        return delegate().findContactsByEmail(workspaceId, email);
    }

    @Override
    public List<Contact> listContacts(WorkspaceId workspaceId, Optional<ContactId> after, int limit) {
        return delegate().listContacts(workspaceId, after, limit);
    }

    @Override
    public long countContacts(WorkspaceId workspaceId) {
        return delegate().countContacts(workspaceId);
    }

    @Override
    public boolean deleteContact(WorkspaceId workspaceId, ContactId id) {
        return delegate().deleteContact(workspaceId, id);
    }

    @Override
    public List<AppendResult> append(List<DataEvent> events) {
        return delegate().append(events);
    }

    @Override
    public List<DataEvent> listEvents(
            WorkspaceId workspaceId, ContactId contactId, long minCreatedAt, Optional<EventCursor> after, int limit) {
        return delegate().listEvents(workspaceId, contactId, minCreatedAt, after, limit);
    }

    @Override
    public List<EventSummary> summaries(WorkspaceId workspaceId, ContactId contactId) {
        return delegate().summaries(workspaceId, contactId);
    }

    @Override
    public List<EventSummary> baselines(WorkspaceId workspaceId, ContactId contactId) {
        return delegate().baselines(workspaceId, contactId);
    }

    @Override
    public void putBaselines(WorkspaceId workspaceId, ContactId contactId, List<EventSummary> baselines) {
        delegate().putBaselines(workspaceId, contactId, baselines);
    }

    @Override
    public List<String> trackedKeys(WorkspaceId workspaceId, EventName name) {
        return delegate().trackedKeys(workspaceId, name);
    }

    @Override
    public List<CatalogEntry> catalog(WorkspaceId workspaceId) {
        return delegate().catalog(workspaceId);
    }

    @Override
    public boolean setArchived(WorkspaceId workspaceId, EventName name, boolean archived) {
        return delegate().setArchived(workspaceId, name, archived);
    }

    @Override
    public List<ContactSummary> eventIndex(
            WorkspaceId workspaceId, EventName name, Optional<ContactId> atOrAfter, int limit) {
        return delegate().eventIndex(workspaceId, name, atOrAfter, limit);
    }

    @Override
    public Optional<SummarySearch> searchSummaries(
            WorkspaceId workspaceId, List<SummaryCondition> conditions, Optional<ContactId> after, int limit) {
        return delegate().searchSummaries(workspaceId, conditions, after, limit);
    }

    @Override
    public List<String> listDocuments(WorkspaceId workspaceId, String kind) {
        return delegate().listDocuments(workspaceId, kind);
    }

    @Override
    public boolean deleteDocument(WorkspaceId workspaceId, String kind, String id) {
        return delegate().deleteDocument(workspaceId, kind, id);
    }

    @Override
    public List<DailyEventCount> dailyEventCounts(WorkspaceId workspaceId, LocalDate from, LocalDate to) {
        return delegate().dailyEventCounts(workspaceId, from, to);
    }

    @Override
    public void subtractDailyEventCounts(WorkspaceId workspaceId, List<DailyEventCount> counts) {
        delegate().subtractDailyEventCounts(workspaceId, counts);
    }

    @Override
    public List<DailyContactCount> dailyContactCounts(WorkspaceId workspaceId, LocalDate from, LocalDate to) {
        return delegate().dailyContactCounts(workspaceId, from, to);
    }

    @Override
    public void putDocument(WorkspaceId workspaceId, String kind, String id, String json) {
        delegate().putDocument(workspaceId, kind, id, json);
    }

    @Override
    public Optional<String> findDocument(WorkspaceId workspaceId, String kind, String id) {
        return delegate().findDocument(workspaceId, kind, id);
    }

    @Override
    public WebhookStore webhooks() {
        return delegate().webhooks();
    }

    @Override
    public void checkHealth() {
        delegate().checkHealth();
    }

    @Override
    public StoreOperations operations() {
        return delegate().operations();
    }

    @Override
    public void close() {
        delegate().close();
    }
}
