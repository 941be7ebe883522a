package dev.tally;

import dev.tally.auth.AccessToken;
import dev.tally.auth.TokenHash;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.error.StoreUnavailableException;
import dev.tally.event.AppendResult;
import dev.tally.event.DataEvent;
import dev.tally.event.EventCursor;
import dev.tally.event.EventKey;
import dev.tally.event.EventName;
import dev.tally.metadata.TrackedKeys;
import dev.tally.storage.TallyStore;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A minimal in-memory {@link TallyStore} for core's own tests: every method synchronized, nothing
 * clever. It honours the SPI's Javadoc (workspace isolation, external-id uniqueness, de-duplication,
 * tracked keys, summaries kept apart from baselines) so that services tested on it behave as on a
 * real backend.
 */
public final class TestingStore implements TallyStore {
    private static final int MAX_TRACKED_KEYS = 10;
    private static final Comparator<DataEvent> NEWEST_FIRST =
            Comparator.comparingLong(DataEvent::createdAt).reversed().thenComparing(DataEvent::name);

    private final Map<WorkspaceId, Workspace> workspaces = new TreeMap<>();
    private final Map<TokenHash, AccessToken> tokens = new LinkedHashMap<>();
    private final Map<ContactKey, Contact> contacts = new HashMap<>();
    private final Map<EventKey, DataEvent> events = new LinkedHashMap<>();
    private final Map<NameKey, TrackedKeys> trackedKeys = new HashMap<>();
    private final Map<ContactKey, Map<EventName, EventSummary>> summaries = new HashMap<>();
    private final Map<ContactKey, Map<EventName, EventSummary>> baselines = new HashMap<>();
    private boolean closed;

    private record ContactKey(WorkspaceId workspaceId, ContactId contactId) {}

    private record NameKey(WorkspaceId workspaceId, EventName name) {}

    @Override
    public synchronized void insertWorkspace(Workspace workspace) {
        if (workspaces.putIfAbsent(workspace.id(), workspace) != null) {
            throw new IllegalStateException("workspace " + workspace.id() + " exists");
        }
    }

    @Override
    public synchronized Optional<Workspace> findWorkspace(WorkspaceId id) {
        return Optional.ofNullable(workspaces.get(id));
    }

    @Override
    public synchronized List<Workspace> listWorkspaces() {
        return List.copyOf(workspaces.values());
    }

    @Override
    public synchronized boolean updateWorkspace(Workspace workspace) {
        return workspaces.replace(workspace.id(), workspace) != null;
    }

    @Override
    public synchronized void insertToken(AccessToken token) {
        if (tokens.putIfAbsent(token.hash(), token) != null) {
            throw new IllegalStateException("a token with that hash exists");
        }
    }

    @Override
    public synchronized Optional<AccessToken> findToken(TokenHash hash) {
        return Optional.ofNullable(tokens.get(hash));
    }

    @Override
    public synchronized List<AccessToken> listTokens(WorkspaceId workspaceId) {
        return tokens.values().stream()
                .filter(token -> token.workspaceId().equals(workspaceId))
                .toList();
    }

    @Override
    public synchronized boolean updateToken(AccessToken token) {
        AccessToken existing = tokens.get(token.hash());
        if (existing == null
                || !existing.id().equals(token.id())
                || !existing.workspaceId().equals(token.workspaceId())) {
            return false;
        }
        tokens.put(token.hash(), token);
        return true;
    }

    @Override
    public synchronized boolean insertContact(Contact contact) {
        ContactKey key = new ContactKey(contact.workspaceId(), contact.id());
        if (contacts.containsKey(key) || externalIdTaken(contact)) {
            return false;
        }
        contacts.put(key, contact);
        return true;
    }

    @Override
    public synchronized boolean updateContact(Contact contact) {
        ContactKey key = new ContactKey(contact.workspaceId(), contact.id());
        if (!contacts.containsKey(key) || externalIdTaken(contact)) {
            return false;
        }
        contacts.put(key, contact);
        return true;
    }

    private boolean externalIdTaken(Contact contact) {
        return contact.externalId().isPresent()
                && contacts.values().stream()
                        .anyMatch(other -> other.workspaceId().equals(contact.workspaceId())
                                && !other.id().equals(contact.id())
                                && other.externalId().equals(contact.externalId()));
    }

    @Override
    public synchronized Optional<Contact> findContact(WorkspaceId workspaceId, ContactId id) {
        return Optional.ofNullable(contacts.get(new ContactKey(workspaceId, id)));
    }

    @Override
    public synchronized Optional<Contact> findContactByExternalId(WorkspaceId workspaceId, String externalId) {
        return contactsOf(workspaceId)
                .filter(contact -> contact.externalId().equals(Optional.of(externalId)))
                .findFirst();
    }

    @Override
    public synchronized List<Contact> findContactsByEmail(WorkspaceId workspaceId, String email) {
        return contactsOf(workspaceId)
                .filter(contact -> contact.email().equals(Optional.of(email)))
                .toList();
    }

    @Override
    public synchronized List<Contact> listContacts(WorkspaceId workspaceId, Optional<ContactId> after, int limit) {
        return contactsOf(workspaceId)
                .filter(contact -> after.isEmpty()
                        || contact.id().value().compareTo(after.get().value()) > 0)
                .limit(limit)
                .toList();
    }

    private Stream<Contact> contactsOf(WorkspaceId workspaceId) {
        return contacts.values().stream()
                .filter(contact -> contact.workspaceId().equals(workspaceId))
                .sorted(Comparator.comparing(contact -> contact.id().value()));
    }

    @Override
    public synchronized boolean deleteContact(WorkspaceId workspaceId, ContactId id) {
        ContactKey key = new ContactKey(workspaceId, id);
        if (contacts.remove(key) == null) {
            return false;
        }
        events.keySet()
                .removeIf(event -> event.workspaceId().equals(workspaceId)
                        && event.contactId().equals(id));
        summaries.remove(key);
        baselines.remove(key);
        return true;
    }

    @Override
    public synchronized List<AppendResult> append(List<DataEvent> batch) {
        List<AppendResult> results = new ArrayList<>(batch.size());
        for (DataEvent event : batch) {
            ContactKey contact = new ContactKey(event.workspaceId(), event.contactId());
            if (!contacts.containsKey(contact)) {
                throw new IllegalStateException("no contact " + event.contactId());
            }
            if (events.containsKey(event.key())) {
                results.add(AppendResult.duplicate());
                continue;
            }
            NameKey name = new NameKey(event.workspaceId(), event.name());
            TrackedKeys.Admission admission =
                    trackedKeys.getOrDefault(name, TrackedKeys.NONE).admit(event.metadata(), MAX_TRACKED_KEYS);
            trackedKeys.put(name, admission.tracked());
            events.put(event.key(), event.withMetadata(admission.kept()));
            summaries
                    .computeIfAbsent(contact, ignored -> new TreeMap<>())
                    .merge(event.name(), EventSummary.of(event.name(), event.createdAt()), EventSummary::plus);
            results.add(AppendResult.stored(admission.ignoredKeys()));
        }
        return List.copyOf(results);
    }

    @Override
    public synchronized List<DataEvent> listEvents(
            WorkspaceId workspaceId, ContactId contactId, long minCreatedAt, Optional<EventCursor> after, int limit) {
        return events.values().stream()
                .filter(event -> event.workspaceId().equals(workspaceId)
                        && event.contactId().equals(contactId)
                        && event.createdAt() >= minCreatedAt
                        && after.map(cursor -> cursor.precedes(event)).orElse(true))
                .sorted(NEWEST_FIRST)
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<EventSummary> summaries(WorkspaceId workspaceId, ContactId contactId) {
        return List.copyOf(summaries
                .getOrDefault(new ContactKey(workspaceId, contactId), Map.of())
                .values());
    }

    @Override
    public synchronized List<EventSummary> baselines(WorkspaceId workspaceId, ContactId contactId) {
        return List.copyOf(baselines
                .getOrDefault(new ContactKey(workspaceId, contactId), Map.of())
                .values());
    }

    @Override
    public synchronized void putBaselines(WorkspaceId workspaceId, ContactId contactId, List<EventSummary> given) {
        Map<EventName, EventSummary> byName =
                baselines.computeIfAbsent(new ContactKey(workspaceId, contactId), ignored -> new TreeMap<>());
        for (EventSummary baseline : given) {
            byName.put(baseline.name(), baseline);
        }
    }

    @Override
    public synchronized List<String> trackedKeys(WorkspaceId workspaceId, EventName name) {
        return trackedKeys
                .getOrDefault(new NameKey(workspaceId, name), TrackedKeys.NONE)
                .keys();
    }

    @Override
    public synchronized void checkHealth() {
        if (closed) {
            throw new StoreUnavailableException("store is closed", new IllegalStateException("closed"));
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    /** Every stored event of every workspace, for tests that check what was kept. */
    public synchronized List<DataEvent> allEvents() {
        return List.copyOf(events.values());
    }
}
