package dev.tally.service;

import static java.util.Objects.requireNonNull;

import dev.tally.contact.Contact;
import dev.tally.contact.ContactChanges;
import dev.tally.contact.ContactDraft;
import dev.tally.contact.ContactId;
import dev.tally.contact.ContactMergedException;
import dev.tally.contact.ContactRef;
import dev.tally.contact.Role;
import dev.tally.error.ErrorCode;
import dev.tally.error.TallyException;
import dev.tally.storage.TallyStore;
import dev.tally.workspace.WorkspaceId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Creates, finds and deletes contacts, and resolves how a request names one. */
public final class ContactService {
    private static final String MERGED_KIND = "merged_contact";
    private final TallyStore store;
    private final Clock clock;

    public ContactService(TallyStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public Contact create(WorkspaceId workspaceId, ContactDraft draft) {
        if (draft.role() == Role.USER
                && draft.externalId().isEmpty()
                && draft.email().isEmpty()) {
            throw TallyException.missing("external_id", "a user needs an external_id or an email");
        }
        Instant now = clock.instant();
        Contact contact = new Contact(
                ContactId.random(),
                workspaceId,
                draft.role(),
                draft.externalId(),
                draft.email(),
                draft.name(),
                now,
                now);
        if (!store.insertContact(contact)) {
            throw new TallyException(
                    ErrorCode.CONFLICT,
                    "A contact with external_id " + draft.externalId().orElse("") + " already exists",
                    "external_id");
        }
        return contact;
    }

    /** Changes email, external id and name; events stay with the contact. */
    public Contact update(WorkspaceId workspaceId, ContactId id, ContactChanges changes) {
        Contact current = get(workspaceId, id);
        Contact updated = new Contact(
                current.id(),
                workspaceId,
                current.role(),
                changes.externalId().orElse(current.externalId()),
                changes.email().orElse(current.email()),
                changes.name().orElse(current.name()),
                current.createdAt(),
                clock.instant());
        if (updated.role() == Role.USER
                && updated.externalId().isEmpty()
                && updated.email().isEmpty()) {
            throw TallyException.invalid("external_id", "a user needs an external_id or an email");
        }
        if (!store.updateContact(updated)) {
            throw new TallyException(
                    ErrorCode.CONFLICT,
                    "A contact with external_id " + updated.externalId().orElse("") + " already exists",
                    "external_id");
        }
        return updated;
    }

    public Optional<Contact> findByExternalId(WorkspaceId workspaceId, String externalId) {
        return store.findContactByExternalId(workspaceId, externalId);
    }

    public List<Contact> findByEmail(WorkspaceId workspaceId, String email) {
        return store.findContactsByEmail(workspaceId, email);
    }

    /** A page of the workspace's contacts in id order, after the given id. */
    public long count(WorkspaceId workspaceId) {
        return store.countContacts(workspaceId);
    }

    public List<Contact> list(WorkspaceId workspaceId, Optional<ContactId> after, int limit) {
        return store.listContacts(workspaceId, after, limit);
    }

    public Contact get(WorkspaceId workspaceId, ContactId id) {
        return store.findContact(workspaceId, id).orElseThrow(() -> missing(workspaceId, id, "id"));
    }

    /** Where a merged lead went, if {@code id} is one. */
    public Optional<ContactId> mergedInto(WorkspaceId workspaceId, ContactId id) {
        return store.findDocument(workspaceId, MERGED_KIND, id.value()).map(ContactId::new);
    }

    /** Remembers that {@code from} now lives on as {@code into}, so its id answers 410 with a link. */
    void recordMerge(WorkspaceId workspaceId, ContactId from, ContactId into) {
        store.putDocument(workspaceId, MERGED_KIND, from.value(), into.value());
    }

    private TallyException missing(WorkspaceId workspaceId, ContactId id, String field) {
        Optional<ContactId> into = mergedInto(workspaceId, id);
        if (into.isPresent()) {
            return new ContactMergedException(id, into.get());
        }
        return notFound(field, id.value());
    }

    /** Intercom answers {@code find_by_external_id} for users only. */
    public Contact getUserByExternalId(WorkspaceId workspaceId, String externalId) {
        return store.findContactByExternalId(workspaceId, externalId)
                .filter(contact -> contact.role() == Role.USER)
                .orElseThrow(() -> notFound("external_id", externalId));
    }

    public void delete(WorkspaceId workspaceId, ContactId id) {
        if (!store.deleteContact(workspaceId, id)) {
            throw missing(workspaceId, id, "id");
        }
    }

    /**
     * The contact a request names: by id (users and leads), by external id (users), or by email
     * (users; several users sharing it is a 409).
     */
    public Contact resolve(WorkspaceId workspaceId, ContactRef ref) {
        Optional<Contact> found =
                switch (ref) {
                    case ContactRef.ById byId -> store.findContact(workspaceId, byId.id());
                    case ContactRef.ByExternalId byExternalId ->
                        store.findContactByExternalId(workspaceId, byExternalId.externalId())
                                .filter(contact -> contact.role() == Role.USER);
                    case ContactRef.ByEmail byEmail -> single(workspaceId, byEmail.email());
                };
        if (found.isEmpty() && ref instanceof ContactRef.ById byId) {
            throw missing(workspaceId, byId.id(), "id");
        }
        return found.orElseThrow(() -> notFound(ref.field(), ref.value()));
    }

    private Optional<Contact> single(WorkspaceId workspaceId, String email) {
        List<Contact> users = store.findContactsByEmail(workspaceId, email).stream()
                .filter(contact -> contact.role() == Role.USER)
                .toList();
        if (users.size() > 1) {
            throw new TallyException(
                    ErrorCode.CONFLICT,
                    "Multiple users match email[" + email + "]; send user_id or id instead",
                    "email");
        }
        return users.stream().findFirst();
    }

    private static TallyException notFound(String field, String value) {
        String shown = value.length() > 64 ? value.substring(0, 64) + "…" : value;
        return new TallyException(ErrorCode.NOT_FOUND, "No such " + field + "[" + shown + "]", field);
    }
}
