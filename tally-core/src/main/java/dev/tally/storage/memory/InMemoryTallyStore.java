package dev.tally.storage.memory;

import dev.tally.auth.AccessToken;
import dev.tally.auth.TokenHash;
import dev.tally.catalog.CatalogEntry;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.error.StoreUnavailableException;
import dev.tally.event.AppendResult;
import dev.tally.event.DataEvent;
import dev.tally.event.EventCursor;
import dev.tally.event.EventKey;
import dev.tally.event.EventName;
import dev.tally.metadata.Metadata;
import dev.tally.metadata.TrackedKeys;
import dev.tally.storage.TallyStore;
import dev.tally.storage.WebhookStore;
import dev.tally.summary.ContactSummary;
import dev.tally.summary.DailyContactCount;
import dev.tally.summary.DailyEventCount;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The reference implementation of {@link dev.tally.storage.TallyStore}: everything in maps, one
 * monitor around all of it. Every operation is therefore atomic and trivially linearizable, which
 * is what makes it the yardstick for the contract suite and a faithful fake for service tests. It
 * keeps nothing across {@link #close()}.
 */
public final class InMemoryTallyStore implements TallyStore {
    /** Events of one contact in list order: createdAt descending, then name ascending. */
    private static final Comparator<EventKey> LIST_ORDER =
            Comparator.comparingLong(EventKey::createdAt).reversed().thenComparing(EventKey::name);

    private static final Comparator<DocumentRef> DOCUMENT_ORDER = Comparator.comparing(
                    (DocumentRef ref) -> ref.workspaceId().value())
            .thenComparing(DocumentRef::kind)
            .thenComparing(DocumentRef::id);

    private final Map<WorkspaceId, Workspace> workspaces = new TreeMap<>();
    private final Map<TokenHash, AccessToken> tokensByHash = new HashMap<>();
    private final Map<WorkspaceId, NavigableMap<String, Contact>> contacts = new HashMap<>();
    private final Map<WorkspaceId, Map<String, ContactId>> contactIdsByExternalId = new HashMap<>();
    private final Map<ContactRef, TreeMap<EventKey, DataEvent>> events = new HashMap<>();
    private final Map<ContactRef, TreeMap<EventName, EventSummary>> summaries = new HashMap<>();
    private final Map<ContactRef, TreeMap<EventName, EventSummary>> baselines = new HashMap<>();
    private final Map<NameRef, TrackedKeys> trackedKeys = new HashMap<>();
    private final Map<DocumentRef, String> documents = new TreeMap<>(DOCUMENT_ORDER);
    private final Map<NameRef, CatalogEntry> catalog = new HashMap<>();
    /** Per event name: contact id → its summary, in id order (the search index). */
    private final Map<NameRef, TreeMap<String, EventSummary>> eventIndex = new HashMap<>();

    private final InMemoryWebhookStore webhooks = new InMemoryWebhookStore(this, this::requireOpen);
    private final DailyCounters dailyCounts = new DailyCounters();
    private boolean closed;

    /** A contact within its workspace: contact ids are only unique per workspace. */
    private record ContactRef(WorkspaceId workspaceId, ContactId contactId) {}

    private record NameRef(WorkspaceId workspaceId, EventName name) {}

    @Override
    public synchronized void insertWorkspace(Workspace workspace) {
        requireOpen();
        workspaces.put(workspace.id(), workspace);
    }

    @Override
    public synchronized Optional<Workspace> findWorkspace(WorkspaceId id) {
        requireOpen();
        return Optional.ofNullable(workspaces.get(id));
    }

    @Override
    public synchronized List<Workspace> listWorkspaces() {
        requireOpen();
        return List.copyOf(workspaces.values());
    }

    @Override
    public synchronized boolean updateWorkspace(Workspace workspace) {
        requireOpen();
        return workspaces.replace(workspace.id(), workspace) != null;
    }

    @Override
    public synchronized void insertToken(AccessToken token) {
        requireOpen();
        tokensByHash.put(token.hash(), token);
    }

    @Override
    public synchronized Optional<AccessToken> findToken(TokenHash hash) {
        requireOpen();
        return Optional.ofNullable(tokensByHash.get(hash));
    }

    @Override
    public synchronized List<AccessToken> listTokens(WorkspaceId workspaceId) {
        requireOpen();
        return tokensByHash.values().stream()
                .filter(token -> token.workspaceId().equals(workspaceId))
                .sorted(Comparator.comparing(token -> token.id().value()))
                .toList();
    }

    @Override
    public synchronized boolean updateToken(AccessToken token) {
        requireOpen();
        Optional<AccessToken> existing = tokensByHash.values().stream()
                .filter(stored -> stored.workspaceId().equals(token.workspaceId())
                        && stored.id().equals(token.id()))
                .findFirst();
        if (existing.isEmpty()) {
            return false;
        }
        tokensByHash.remove(existing.get().hash());
        tokensByHash.put(token.hash(), token);
        return true;
    }

    @Override
    public synchronized boolean insertContact(Contact contact) {
        requireOpen();
        Map<String, ContactId> byExternalId = externalIdIndex(contact.workspaceId());
        if (externalIdTakenByAnother(byExternalId, contact)) {
            return false;
        }
        // Inserting an id that exists replaces that contact, so its old external id must not linger.
        Contact replaced = contactsOf(contact.workspaceId()).put(contact.id().value(), contact);
        if (replaced != null) {
            replaced.externalId().ifPresent(byExternalId::remove);
        } else {
            dailyCounts.countContact(contact);
        }
        contact.externalId().ifPresent(externalId -> byExternalId.put(externalId, contact.id()));
        return true;
    }

    @Override
    public synchronized boolean updateContact(Contact contact) {
        requireOpen();
        Map<String, Contact> workspaceContacts = contactsOf(contact.workspaceId());
        Contact existing = workspaceContacts.get(contact.id().value());
        if (existing == null) {
            return false;
        }
        Map<String, ContactId> byExternalId = externalIdIndex(contact.workspaceId());
        if (externalIdTakenByAnother(byExternalId, contact)) {
            return false;
        }
        existing.externalId().ifPresent(byExternalId::remove);
        contact.externalId().ifPresent(externalId -> byExternalId.put(externalId, contact.id()));
        workspaceContacts.put(contact.id().value(), contact);
        return true;
    }

    @Override
    public synchronized Optional<Contact> findContact(WorkspaceId workspaceId, ContactId id) {
        requireOpen();
        return Optional.ofNullable(contactsOf(workspaceId).get(id.value()));
    }

    @Override
    public synchronized Optional<Contact> findContactByExternalId(WorkspaceId workspaceId, String externalId) {
        requireOpen();
        return Optional.ofNullable(externalIdIndex(workspaceId).get(externalId))
                .map(id -> contactsOf(workspaceId).get(id.value()));
    }

    @Override
    public synchronized List<Contact> findContactsByEmail(WorkspaceId workspaceId, String email) {
        requireOpen();
        return contactsOf(workspaceId).values().stream()
                .filter(contact -> contact.email().equals(Optional.of(email)))
                .toList();
    }

    @Override
    public synchronized List<Contact> listContacts(WorkspaceId workspaceId, Optional<ContactId> after, int limit) {
        requireOpen();
        NavigableMap<String, Contact> workspaceContacts = contactsOf(workspaceId);
        Map<String, Contact> page =
                after.isPresent() ? workspaceContacts.tailMap(after.get().value(), false) : workspaceContacts;
        return page.values().stream().limit(limit).toList();
    }

    @Override
    public synchronized long countContacts(WorkspaceId workspaceId) {
        requireOpen();
        return contactsOf(workspaceId).size();
    }

    @Override
    public synchronized boolean deleteContact(WorkspaceId workspaceId, ContactId id) {
        requireOpen();
        Contact removed = contactsOf(workspaceId).remove(id.value());
        if (removed == null) {
            return false;
        }
        removed.externalId().ifPresent(externalIdIndex(workspaceId)::remove);
        ContactRef ref = new ContactRef(workspaceId, id);
        unindexContact(ref);
        events.remove(ref);
        summaries.remove(ref);
        baselines.remove(ref);
        return true;
    }

    @Override
    public synchronized List<AppendResult> append(List<DataEvent> batch) {
        requireOpen();
        List<AppendResult> results = new ArrayList<>(batch.size());
        for (DataEvent event : batch) {
            ContactRef ref = new ContactRef(event.workspaceId(), event.contactId());
            TreeMap<EventKey, DataEvent> contactEvents = events.computeIfAbsent(ref, r -> new TreeMap<>(LIST_ORDER));
            if (contactEvents.containsKey(event.key())) {
                results.add(AppendResult.duplicate());
                continue;
            }
            NameRef nameRef = new NameRef(event.workspaceId(), event.name());
            TrackedKeys.Admission admission =
                    trackedKeys.getOrDefault(nameRef, TrackedKeys.NONE).admit(event.metadata());
            trackedKeys.put(nameRef, admission.tracked());
            DataEvent stored = event.withMetadata(admission.kept());
            contactEvents.put(event.key(), stored);
            webhooks.queueFor(stored);
            EventSummary summary = summaries
                    .computeIfAbsent(ref, r -> new TreeMap<>())
                    .merge(event.name(), EventSummary.of(event.name(), event.createdAt()), EventSummary::plus);
            indexStored(event, admission.kept(), summary);
            dailyCounts.countEvent(event);
            results.add(AppendResult.stored(admission.ignoredKeys()));
        }
        return List.copyOf(results);
    }

    @Override
    public synchronized List<DataEvent> listEvents(
            WorkspaceId workspaceId, ContactId contactId, long minCreatedAt, Optional<EventCursor> after, int limit) {
        requireOpen();
        TreeMap<EventKey, DataEvent> contactEvents = events.get(new ContactRef(workspaceId, contactId));
        if (contactEvents == null) {
            return List.of();
        }
        return contactEvents.values().stream()
                .filter(event -> event.createdAt() >= minCreatedAt)
                .filter(event -> after.map(cursor -> cursor.precedes(event)).orElse(true))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<EventSummary> summaries(WorkspaceId workspaceId, ContactId contactId) {
        requireOpen();
        return List.copyOf(summaries
                .getOrDefault(new ContactRef(workspaceId, contactId), new TreeMap<>())
                .values());
    }

    @Override
    public synchronized List<EventSummary> baselines(WorkspaceId workspaceId, ContactId contactId) {
        requireOpen();
        return List.copyOf(baselines
                .getOrDefault(new ContactRef(workspaceId, contactId), new TreeMap<>())
                .values());
    }

    @Override
    public synchronized void putBaselines(WorkspaceId workspaceId, ContactId contactId, List<EventSummary> posted) {
        requireOpen();
        TreeMap<EventName, EventSummary> contactBaselines =
                baselines.computeIfAbsent(new ContactRef(workspaceId, contactId), r -> new TreeMap<>());
        posted.forEach(baseline -> contactBaselines.put(baseline.name(), baseline));
    }

    @Override
    public synchronized List<String> trackedKeys(WorkspaceId workspaceId, EventName name) {
        requireOpen();
        return trackedKeys
                .getOrDefault(new NameRef(workspaceId, name), TrackedKeys.NONE)
                .keys();
    }

    /** The event catalog and the search index learn of a stored event: the append's catalog hook. */
    private void indexStored(DataEvent event, Metadata kept, EventSummary summary) {
        NameRef name = new NameRef(event.workspaceId(), event.name());
        catalog.put(
                name,
                catalog.getOrDefault(name, CatalogEntry.empty(event.name()))
                        .withEvent(event.createdAt(), summary.count() == 1, kept));
        eventIndex
                .computeIfAbsent(name, n -> new TreeMap<>())
                .put(event.contactId().value(), summary);
    }

    /** A deleted contact's events leave the catalog and the search index. */
    private void unindexContact(ContactRef ref) {
        summaries.getOrDefault(ref, new TreeMap<>()).values().forEach(summary -> {
            NameRef name = new NameRef(ref.workspaceId(), summary.name());
            catalog.computeIfPresent(name, (n, entry) -> entry.withoutContact(summary));
            TreeMap<String, EventSummary> index = eventIndex.get(name);
            if (index != null) {
                index.remove(ref.contactId().value());
            }
        });
    }

    @Override
    public synchronized List<CatalogEntry> catalog(WorkspaceId workspaceId) {
        requireOpen();
        return catalog.entrySet().stream()
                .filter(entry -> entry.getKey().workspaceId().equals(workspaceId))
                .map(Map.Entry::getValue)
                .sorted(Comparator.comparing(CatalogEntry::name))
                .toList();
    }

    @Override
    public synchronized boolean setArchived(WorkspaceId workspaceId, EventName name, boolean archived) {
        requireOpen();
        return catalog.computeIfPresent(new NameRef(workspaceId, name), (n, entry) -> entry.withArchived(archived))
                != null;
    }

    @Override
    public synchronized List<ContactSummary> eventIndex(
            WorkspaceId workspaceId, EventName name, Optional<ContactId> atOrAfter, int limit) {
        requireOpen();
        TreeMap<String, EventSummary> index = eventIndex.getOrDefault(new NameRef(workspaceId, name), new TreeMap<>());
        Map<String, EventSummary> from =
                atOrAfter.isPresent() ? index.tailMap(atOrAfter.get().value(), true) : index;
        return from.entrySet().stream()
                .limit(limit)
                .map(entry -> new ContactSummary(new ContactId(entry.getKey()), entry.getValue()))
                .toList();
    }

    @Override
    public synchronized List<String> listDocuments(WorkspaceId workspaceId, String kind) {
        requireOpen();
        return documents.entrySet().stream()
                .filter(entry -> entry.getKey().workspaceId().equals(workspaceId)
                        && entry.getKey().kind().equals(kind))
                .map(Map.Entry::getValue)
                .toList();
    }

    @Override
    public synchronized boolean deleteDocument(WorkspaceId workspaceId, String kind, String id) {
        requireOpen();
        return documents.remove(new DocumentRef(workspaceId, kind, id)) != null;
    }

    @Override
    public synchronized List<DailyEventCount> dailyEventCounts(WorkspaceId workspaceId, LocalDate from, LocalDate to) {
        requireOpen();
        return dailyCounts.events(workspaceId, from, to);
    }

    @Override
    public synchronized void subtractDailyEventCounts(WorkspaceId workspaceId, List<DailyEventCount> counts) {
        requireOpen();
        dailyCounts.subtract(workspaceId, counts);
    }

    @Override
    public synchronized List<DailyContactCount> dailyContactCounts(
            WorkspaceId workspaceId, LocalDate from, LocalDate to) {
        requireOpen();
        return dailyCounts.contacts(workspaceId, from, to);
    }

    @Override
    public synchronized void putDocument(WorkspaceId workspaceId, String kind, String id, String json) {
        requireOpen();
        documents.put(new DocumentRef(workspaceId, kind, id), json);
    }

    @Override
    public synchronized Optional<String> findDocument(WorkspaceId workspaceId, String kind, String id) {
        requireOpen();
        return Optional.ofNullable(documents.get(new DocumentRef(workspaceId, kind, id)));
    }

    @Override
    public WebhookStore webhooks() {
        return webhooks;
    }

    /** Every stored event of every workspace, for tests that check nothing else was stored. */
    public synchronized List<DataEvent> allEvents() {
        List<DataEvent> all = new ArrayList<>();
        events.values().forEach(byKey -> all.addAll(byKey.values()));
        return List.copyOf(all);
    }

    /** A document's key: documents of one workspace are invisible to every other. */
    private record DocumentRef(WorkspaceId workspaceId, String kind, String id) {}

    @Override
    public synchronized void checkHealth() {
        requireOpen();
    }

    @Override
    public dev.tally.storage.StoreOperations operations() {
        return dev.tally.storage.StoreOperations.NONE;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private static boolean externalIdTakenByAnother(Map<String, ContactId> byExternalId, Contact contact) {
        return contact.externalId()
                .map(byExternalId::get)
                .filter(owner -> !owner.equals(contact.id()))
                .isPresent();
    }

    private NavigableMap<String, Contact> contactsOf(WorkspaceId workspaceId) {
        return contacts.computeIfAbsent(workspaceId, id -> new TreeMap<>());
    }

    private Map<String, ContactId> externalIdIndex(WorkspaceId workspaceId) {
        return contactIdsByExternalId.computeIfAbsent(workspaceId, id -> new HashMap<>());
    }

    private void requireOpen() {
        if (closed) {
            throw new StoreUnavailableException("the in-memory store is closed", new IllegalStateException());
        }
    }
}
