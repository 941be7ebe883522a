package dev.tally.server;

import dev.tally.auth.AccessToken;
import dev.tally.auth.TokenHash;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.error.StoreUnavailableException;
import dev.tally.event.AppendResult;
import dev.tally.event.DataEvent;
import dev.tally.event.EventCursor;
import dev.tally.event.EventName;
import dev.tally.storage.TallyStore;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** A real store that can be told to fail as a full disk or a lost database would: every call throws. */
final class FaultInjectingStore implements TallyStore {
    private final TallyStore delegate;
    private final AtomicBoolean broken = new AtomicBoolean();

    FaultInjectingStore(TallyStore delegate) {
        this.delegate = delegate;
    }

    void breakStore() {
        broken.set(true);
    }

    void repair() {
        broken.set(false);
    }

    private void failIfBroken() {
        if (broken.get()) {
            throw new StoreUnavailableException(
                    "injected fault: No space left on device", new IOException("No space left on device"));
        }
    }

    @Override
    public void insertWorkspace(Workspace workspace) {
        failIfBroken();
        delegate.insertWorkspace(workspace);
    }

    @Override
    public Optional<Workspace> findWorkspace(WorkspaceId id) {
        failIfBroken();
        return delegate.findWorkspace(id);
    }

    @Override
    public List<Workspace> listWorkspaces() {
        failIfBroken();
        return delegate.listWorkspaces();
    }

    @Override
    public boolean updateWorkspace(Workspace workspace) {
        failIfBroken();
        return delegate.updateWorkspace(workspace);
    }

    @Override
    public void insertToken(AccessToken token) {
        failIfBroken();
        delegate.insertToken(token);
    }

    @Override
    public Optional<AccessToken> findToken(TokenHash hash) {
        failIfBroken();
        return delegate.findToken(hash);
    }

    @Override
    public List<AccessToken> listTokens(WorkspaceId workspaceId) {
        failIfBroken();
        return delegate.listTokens(workspaceId);
    }

    @Override
    public boolean updateToken(AccessToken token) {
        failIfBroken();
        return delegate.updateToken(token);
    }

    @Override
    public boolean insertContact(Contact contact) {
        failIfBroken();
        return delegate.insertContact(contact);
    }

    @Override
    public boolean updateContact(Contact contact) {
        failIfBroken();
        return delegate.updateContact(contact);
    }

    @Override
    public Optional<Contact> findContact(WorkspaceId workspaceId, ContactId id) {
        failIfBroken();
        return delegate.findContact(workspaceId, id);
    }

    @Override
    public Optional<Contact> findContactByExternalId(WorkspaceId workspaceId, String externalId) {
        failIfBroken();
        return delegate.findContactByExternalId(workspaceId, externalId);
    }

    @Override
    public List<Contact> findContactsByEmail(WorkspaceId workspaceId, String email) {
        failIfBroken();
        return delegate.findContactsByEmail(workspaceId, email);
    }

    @Override
    public List<Contact> listContacts(WorkspaceId workspaceId, Optional<ContactId> after, int limit) {
        failIfBroken();
        return delegate.listContacts(workspaceId, after, limit);
    }

    @Override
    public boolean deleteContact(WorkspaceId workspaceId, ContactId id) {
        failIfBroken();
        return delegate.deleteContact(workspaceId, id);
    }

    @Override
    public List<AppendResult> append(List<DataEvent> events) {
        failIfBroken();
        return delegate.append(events);
    }

    @Override
    public List<DataEvent> listEvents(
            WorkspaceId workspaceId, ContactId contactId, long minCreatedAt, Optional<EventCursor> after, int limit) {
        failIfBroken();
        return delegate.listEvents(workspaceId, contactId, minCreatedAt, after, limit);
    }

    @Override
    public List<EventSummary> summaries(WorkspaceId workspaceId, ContactId contactId) {
        failIfBroken();
        return delegate.summaries(workspaceId, contactId);
    }

    @Override
    public List<EventSummary> baselines(WorkspaceId workspaceId, ContactId contactId) {
        failIfBroken();
        return delegate.baselines(workspaceId, contactId);
    }

    @Override
    public void putBaselines(WorkspaceId workspaceId, ContactId contactId, List<EventSummary> baselines) {
        failIfBroken();
        delegate.putBaselines(workspaceId, contactId, baselines);
    }

    @Override
    public List<String> trackedKeys(WorkspaceId workspaceId, EventName name) {
        failIfBroken();
        return delegate.trackedKeys(workspaceId, name);
    }

    @Override
    public void checkHealth() {
        failIfBroken();
        delegate.checkHealth();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void putDocument(WorkspaceId workspaceId, String kind, String id, String json) {
        failIfBroken();
        delegate.putDocument(workspaceId, kind, id, json);
    }

    @Override
    public Optional<String> findDocument(WorkspaceId workspaceId, String kind, String id) {
        failIfBroken();
        return delegate.findDocument(workspaceId, kind, id);
    }
}
