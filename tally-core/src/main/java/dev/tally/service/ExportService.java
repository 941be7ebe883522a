package dev.tally.service;

import static java.util.Objects.requireNonNull;

import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.ContactRef;
import dev.tally.event.DataEvent;
import dev.tally.event.EventCursor;
import dev.tally.event.ExportCursor;
import dev.tally.storage.TallyStore;
import dev.tally.workspace.WorkspaceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A workspace's events for export: all history, contact by contact in id order and each contact's
 * events in the store's order, optionally one contact and a range of {@code created_at}, in pages.
 */
public final class ExportService {
    private static final int CONTACTS_PER_SCAN = 100;
    private static final int EVENTS_PER_READ = 1000;

    private final TallyStore store;
    private final ContactService contacts;

    public ExportService(TallyStore store, ContactService contacts) {
        this.store = requireNonNull(store, "store is null");
        this.contacts = requireNonNull(contacts, "contacts is null");
    }

    /** What to export: events with {@code from <= created_at <= to}, at most {@code limit} a page. */
    public record Query(WorkspaceId workspace, Optional<ContactRef> only, long from, long to, int limit) {
        public Query {
            requireNonNull(workspace, "workspace is null");
            requireNonNull(only, "only is null");
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be >= 1");
            }
        }
    }

    /** One event with the contact it belongs to. */
    public record Exported(Contact contact, DataEvent event) {}

    /** A page of events, and where the next one starts when there is more. */
    public record Page(List<Exported> events, Optional<ExportCursor> next) {}

    public Page export(Query query, Optional<ExportCursor> resume) {
        Filling page = new Filling(query);
        Optional<Contact> only = query.only().map(ref -> contacts.resolve(query.workspace(), ref));
        Optional<ContactId> after = Optional.empty();
        if (resume.isPresent()) {
            Optional<Contact> current =
                    store.findContact(query.workspace(), resume.get().contact());
            if (current.isPresent() && !page.add(current.get(), resume.get().after())) {
                return page.done();
            }
            after = Optional.of(resume.get().contact());
        }
        if (only.isPresent()) {
            if (resume.isEmpty()) {
                page.add(only.get(), Optional.empty());
            }
            return page.done();
        }
        while (true) {
            List<Contact> batch = store.listContacts(query.workspace(), after, CONTACTS_PER_SCAN);
            for (Contact contact : batch) {
                if (!page.add(contact, Optional.empty())) {
                    return page.done();
                }
                after = Optional.of(contact.id());
            }
            if (batch.size() < CONTACTS_PER_SCAN) {
                return page.done();
            }
        }
    }

    /** One page being filled up to the limit. */
    private final class Filling {
        private final Query query;
        private final List<Exported> events = new ArrayList<>();
        private Optional<ExportCursor> next = Optional.empty();

        Filling(Query query) {
            this.query = query;
        }

        /** Adds a contact's events after {@code cursor}; false when the page filled first. */
        boolean add(Contact contact, Optional<EventCursor> cursor) {
            while (true) {
                List<DataEvent> read =
                        store.listEvents(query.workspace(), contact.id(), query.from(), cursor, EVENTS_PER_READ);
                for (DataEvent event : read) {
                    if (event.createdAt() > query.to()) {
                        cursor = Optional.of(EventCursor.after(event));
                        continue;
                    }
                    if (events.size() == query.limit()) {
                        next = Optional.of(new ExportCursor(contact.id(), cursor));
                        return false;
                    }
                    events.add(new Exported(contact, event));
                    cursor = Optional.of(EventCursor.after(event));
                }
                if (read.size() < EVENTS_PER_READ) {
                    return true;
                }
            }
        }

        Page done() {
            return new Page(List.copyOf(events), next);
        }
    }
}
