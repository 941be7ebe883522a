package dev.tally.service;

import dev.tally.catalog.CatalogEntry;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.event.EventName;
import dev.tally.search.CompiledQuery;
import dev.tally.search.ContactField;
import dev.tally.search.Operator;
import dev.tally.search.Query;
import dev.tally.search.SummaryCondition;
import dev.tally.search.Value;
import dev.tally.storage.SummarySearch;
import dev.tally.storage.TallyStore;
import dev.tally.summary.ContactSummary;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.WorkspaceId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs a resolved query (relative dates fixed, segments inlined) on any {@link TallyStore}, through
 * the access paths the SPI offers, chosen in this order:
 *
 * <ol>
 *   <li><b>Lookup</b>: a top-level {@code id}, {@code external_id} or {@code email} {@code =}/{@code
 *       IN} reads only those contacts, by their indexes, and their summaries.
 *   <li><b>The store's own answer</b>: a query that is only a conjunction of conditions on event
 *       summaries ({@link SummaryCondition#conjunction}) is offered to {@link
 *       TallyStore#searchSummaries} first (PostgreSQL answers it in SQL); if the store declines,
 *       the next path runs it.
 *   <li><b>Event index</b>: if every match must have done some events ({@link
 *       Query#requiredEvents()}), the name with the fewest contacts in the catalog drives: only the
 *       contacts in its index are considered. Every other name the query reads is a second index
 *       walked in step (contact id order), so a contact costs a few in-memory comparisons, not reads.
 *   <li><b>Scan</b>: otherwise (e.g. {@code events.x.count = 0}, or only contact fields) every
 *       contact of the workspace, in pages, with the event indexes walked in step.
 * </ol>
 *
 * A contact's own fields are read only when the query needs them: in pages, in step, when the
 * driving index is large; one by one when it is small.
 *
 * <p>One pass computes both the total and the page: {@code total_count} is exact at the moment it
 * is asked.
 */
final class QueryEngine {
    static final int PAGE = 1_000;
    /** Below this many candidates, contacts are read one by one rather than walked in step. */
    private static final long POINT_READS_BELOW = 2_000;

    private final TallyStore store;

    QueryEngine(TallyStore store) {
        this.store = store;
    }

    /**
     * The matches after {@code after} (at most {@code limit}), how many match in all, and how many
     * of those are at or before {@code after} (where the page starts).
     */
    record Result(List<Contact> page, long total, long before) {}

    Result run(WorkspaceId workspaceId, Query query, Optional<ContactId> after, int limit) {
        CompiledQuery compiled = CompiledQuery.of(query);
        List<EventName> names = compiled.names();
        Collector collector = new Collector(compiled, after, limit);
        Optional<List<Contact>> lookedUp = lookup(workspaceId, query);
        if (lookedUp.isPresent()) {
            for (Contact contact : lookedUp.get()) {
                @Nullable EventSummary[] summaries = new EventSummary[names.size()];
                for (EventSummary summary : store.summaries(workspaceId, contact.id())) {
                    int index = names.indexOf(summary.name());
                    if (index >= 0) {
                        summaries[index] = summary;
                    }
                }
                collector.offer(contact.id(), () -> contact, summaries);
            }
            return collector.result();
        }
        Optional<SummarySearch> answered = SummaryCondition.conjunction(query)
                .flatMap(conditions -> store.searchSummaries(workspaceId, conditions, after, limit));
        if (answered.isPresent()) {
            return new Result(
                    answered.get().page(),
                    answered.get().total(),
                    answered.get().before());
        }
        Map<EventName, Long> contactsByName = new HashMap<>();
        for (CatalogEntry entry : store.catalog(workspaceId)) {
            contactsByName.put(entry.name(), entry.contacts());
        }
        Set<EventName> required = query.requiredEvents();
        Optional<EventName> driver = required.stream()
                .min(Comparator.comparing((EventName name) -> contactsByName.getOrDefault(name, 0L))
                        .thenComparing(Comparator.naturalOrder()));
        // One walk per event name the query reads, by position in `names`; the driver has none.
        IndexWalk[] walks = new IndexWalk[names.size()];
        for (int i = 0; i < names.size(); i++) {
            if (driver.isEmpty() || !driver.get().equals(names.get(i))) {
                walks[i] = new IndexWalk(workspaceId, names.get(i));
            }
        }
        @Nullable EventSummary[] summaries = new EventSummary[names.size()];
        if (driver.isPresent()) {
            long driverContacts = contactsByName.getOrDefault(driver.get(), 0L);
            if (driverContacts == 0) {
                return collector.result();
            }
            boolean pointReads = driverContacts < POINT_READS_BELOW;
            int driverIndex = names.indexOf(driver.get());
            ContactWalk contacts = new ContactWalk(workspaceId, pointReads);
            Optional<ContactId> position = Optional.empty();
            while (true) {
                List<ContactSummary> page = store.eventIndex(workspaceId, driver.get(), position, PAGE + 1);
                int upTo = Math.min(page.size(), PAGE);
                for (ContactSummary entry : page.subList(0, upTo)) {
                    fill(summaries, entry.contactId(), walks);
                    summaries[driverIndex] = entry.summary();
                    collector.offer(entry.contactId(), () -> contacts.get(entry.contactId()), summaries);
                }
                if (page.size() <= PAGE) {
                    return collector.result();
                }
                position = Optional.of(page.get(PAGE).contactId());
            }
        }
        Optional<ContactId> position = Optional.empty();
        while (true) {
            List<Contact> page = store.listContacts(workspaceId, position, PAGE);
            for (Contact contact : page) {
                fill(summaries, contact.id(), walks);
                collector.offer(contact.id(), () -> contact, summaries);
            }
            if (page.size() < PAGE) {
                return collector.result();
            }
            position = Optional.of(page.get(page.size() - 1).id());
        }
    }

    /** Each walked name's summary of the contact, or null, into its slot. */
    private static void fill(@Nullable EventSummary[] summaries, ContactId id, IndexWalk[] walks) {
        for (int i = 0; i < walks.length; i++) {
            if (walks[i] != null) {
                summaries[i] = walks[i].find(id);
            }
        }
    }

    /** Contacts named by a top-level {@code id}, {@code external_id} or {@code email} condition. */
    private Optional<List<Contact>> lookup(WorkspaceId workspaceId, Query query) {
        List<Query> terms = query instanceof Query.And and ? and.terms() : List.of(query);
        for (Query term : terms) {
            if (term instanceof Query.Condition condition
                    && condition.field() instanceof ContactField field
                    && (field == ContactField.ID || field == ContactField.EXTERNAL_ID || field == ContactField.EMAIL)
                    && (condition.operator() == Operator.EQ || condition.operator() == Operator.IN)
                    && condition.values().stream().allMatch(Value.Text.class::isInstance)) {
                Map<String, Contact> found = new TreeMap<>();
                for (Value value : condition.values()) {
                    String text = ((Value.Text) value).value();
                    List<Contact> matches =
                            switch (field) {
                                case ID -> {
                                    if (text.isEmpty() || text.length() > 64) {
                                        yield List.of();
                                    }
                                    yield store.findContact(workspaceId, new ContactId(text)).stream()
                                            .toList();
                                }
                                case EXTERNAL_ID ->
                                    store.findContactByExternalId(workspaceId, text).stream()
                                            .toList();
                                default -> store.findContactsByEmail(workspaceId, text);
                            };
                    matches.forEach(contact -> found.put(contact.id().value(), contact));
                }
                return Optional.of(List.copyOf(found.values()));
            }
        }
        return Optional.empty();
    }

    /** Counts every match, and keeps those after the cursor up to the limit. */
    private static final class Collector {
        private final CompiledQuery query;
        private final Optional<ContactId> after;
        private final int limit;
        private final List<Contact> page = new ArrayList<>();
        private long total;
        private long before;

        Collector(CompiledQuery query, Optional<ContactId> after, int limit) {
            this.query = query;
            this.after = after;
            this.limit = limit;
        }

        void offer(ContactId id, Supplier<Contact> source, @Nullable EventSummary[] summaries) {
            LazyContact contact = new LazyContact(source);
            try {
                if (!query.matches(contact, summaries)) {
                    return;
                }
            } catch (ContactVanished deletedMeanwhile) {
                return;
            }
            total++;
            if (after.isPresent() && id.value().compareTo(after.get().value()) <= 0) {
                before++;
            } else if (page.size() < limit) {
                page.add(contact.get());
            }
        }

        Result result() {
            return new Result(List.copyOf(page), total, before);
        }
    }

    /** A contact read at most once, and only if a condition or the page asks for it. */
    private static final class LazyContact implements Supplier<Contact> {
        private final Supplier<Contact> source;
        private @Nullable Contact contact;

        LazyContact(Supplier<Contact> source) {
            this.source = source;
        }

        @Override
        public Contact get() {
            Contact read = contact;
            if (read == null) {
                read = source.get();
                contact = read;
            }
            return read;
        }
    }

    /**
     * One event name's index, read forward in pages as the driver asks for ever larger contact ids.
     * A page starts at the id asked for, so a sparse driver skips the ids between.
     */
    private final class IndexWalk {
        private final WorkspaceId workspaceId;
        private final EventName name;
        private final ArrayDeque<ContactSummary> buffered = new ArrayDeque<>();
        private boolean exhausted;

        IndexWalk(WorkspaceId workspaceId, EventName name) {
            this.workspaceId = workspaceId;
            this.name = name;
        }

        /** The contact's summary, or null if it never did the event. */
        @Nullable
        EventSummary find(ContactId id) {
            while (true) {
                while (!buffered.isEmpty()
                        && buffered.peekFirst().contactId().value().compareTo(id.value()) < 0) {
                    buffered.pollFirst();
                }
                if (!buffered.isEmpty()) {
                    ContactSummary head = buffered.peekFirst();
                    return head.contactId().equals(id) ? head.summary() : null;
                }
                if (exhausted) {
                    return null;
                }
                List<ContactSummary> page = store.eventIndex(workspaceId, name, Optional.of(id), PAGE);
                buffered.addAll(page);
                if (page.size() < PAGE) {
                    exhausted = true;
                }
                if (page.isEmpty()) {
                    return null;
                }
            }
        }
    }

    /** The contacts an index-driven run needs: one by one, or a page at a time in id order. */
    private final class ContactWalk {
        private final WorkspaceId workspaceId;
        private final boolean pointReads;
        private final ArrayDeque<Contact> buffered = new ArrayDeque<>();
        private Optional<ContactId> position = Optional.empty();
        private boolean exhausted;

        ContactWalk(WorkspaceId workspaceId, boolean pointReads) {
            this.workspaceId = workspaceId;
            this.pointReads = pointReads;
        }

        Contact get(ContactId id) {
            if (pointReads) {
                return read(id);
            }
            while (true) {
                while (!buffered.isEmpty() && buffered.peekFirst().id().value().compareTo(id.value()) < 0) {
                    buffered.pollFirst();
                }
                if (!buffered.isEmpty() && buffered.peekFirst().id().equals(id)) {
                    return buffered.peekFirst();
                }
                if (!buffered.isEmpty() || exhausted) {
                    // Indexed but not listed: deleted between the two reads. Read it to decide.
                    return read(id);
                }
                List<Contact> page = store.listContacts(workspaceId, position, PAGE);
                buffered.addAll(page);
                if (page.size() < PAGE) {
                    exhausted = true;
                }
                if (!page.isEmpty()) {
                    position = Optional.of(page.get(page.size() - 1).id());
                }
            }
        }

        private Contact read(ContactId id) {
            return store.findContact(workspaceId, id).orElseThrow(() -> new ContactVanished(id));
        }
    }

    /** A contact deleted while the query ran: it is not a match. */
    static final class ContactVanished extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ContactVanished(ContactId id) {
            super("contact " + id + " was deleted during the search", null, false, false);
        }
    }
}
