package dev.tally.service;

import static java.util.Objects.requireNonNull;

import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.Role;
import dev.tally.error.ErrorCode;
import dev.tally.error.TallyException;
import dev.tally.event.AppendResult;
import dev.tally.event.DataEvent;
import dev.tally.event.EventCursor;
import dev.tally.event.EventName;
import dev.tally.storage.TallyStore;
import dev.tally.summary.DailyEventCount;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.WorkspaceId;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A lead becoming a user: the lead's events move to the user through the normal append, so
 * duplicates are dropped and summaries stay exact; its baselines add to the user's; then the lead
 * is deleted and its id answers 410 with a link to the user.
 *
 * <p>Each step can be repeated: re-running a merge cut short re-appends events (duplicates change
 * nothing) and finishes. Baselines are the exception: a merge interrupted between adding baselines
 * and deleting the lead adds them twice when re-run (see docs/api.md).
 */
public final class ContactMergeService {
    private static final int EVENTS_PER_READ = 500;

    private final TallyStore store;
    private final ContactService contacts;

    public ContactMergeService(TallyStore store, ContactService contacts) {
        this.store = requireNonNull(store, "store is null");
        this.contacts = requireNonNull(contacts, "contacts is null");
    }

    public Contact merge(WorkspaceId workspaceId, ContactId fromId, ContactId intoId) {
        Contact from = contacts.get(workspaceId, fromId);
        Contact into = contacts.get(workspaceId, intoId);
        if (from.role() != Role.LEAD) {
            throw TallyException.invalid("from", "from must be a lead; " + fromId + " is a user");
        }
        if (into.role() != Role.USER) {
            throw TallyException.invalid("into", "into must be a user; " + intoId + " is a lead");
        }
        moveEvents(workspaceId, from.id(), into.id());
        moveBaselines(workspaceId, from.id(), into.id());
        contacts.recordMerge(workspaceId, from.id(), into.id());
        if (!store.deleteContact(workspaceId, from.id())) {
            throw new TallyException(ErrorCode.CONFLICT, "the lead changed while it was being merged; retry", "from");
        }
        return into;
    }

    private void moveEvents(WorkspaceId workspaceId, ContactId from, ContactId into) {
        Optional<EventCursor> after = Optional.empty();
        while (true) {
            List<DataEvent> events = store.listEvents(workspaceId, from, 0, after, EVENTS_PER_READ);
            if (events.isEmpty()) {
                return;
            }
            List<DataEvent> moved = new ArrayList<>(events.size());
            for (DataEvent event : events) {
                moved.add(new DataEvent(
                        event.id(), workspaceId, into, event.name(), event.createdAt(), event.metadata()));
            }
            uncountMoved(workspaceId, moved, store.append(moved));
            after = Optional.of(EventCursor.after(events.get(events.size() - 1)));
        }
    }

    /**
     * The daily counts record events received, and a moved event was received once, as the lead's:
     * what the move stored anew for the user comes off again. A merge cut short between the two
     * leaves those events counted twice until it is re-run (the re-run's append finds them stored).
     */
    private void uncountMoved(WorkspaceId workspaceId, List<DataEvent> moved, List<AppendResult> results) {
        Map<DailyCountKey, Long> stored = new TreeMap<>();
        for (int i = 0; i < moved.size(); i++) {
            if (results.get(i).status() == AppendResult.Status.STORED) {
                DataEvent event = moved.get(i);
                stored.merge(new DailyCountKey(DailyEventCount.dayOf(event.createdAt()), event.name()), 1L, Long::sum);
            }
        }
        if (!stored.isEmpty()) {
            store.subtractDailyEventCounts(
                    workspaceId,
                    stored.entrySet().stream()
                            .map(entry -> new DailyEventCount(
                                    entry.getKey().day(), entry.getKey().name(), entry.getValue()))
                            .toList());
        }
    }

    private record DailyCountKey(LocalDate day, EventName name) implements Comparable<DailyCountKey> {
        @Override
        public int compareTo(DailyCountKey other) {
            int byDay = day.compareTo(other.day);
            return byDay != 0 ? byDay : name.compareTo(other.name);
        }
    }

    private void moveBaselines(WorkspaceId workspaceId, ContactId from, ContactId into) {
        List<EventSummary> leadBaselines = store.baselines(workspaceId, from);
        if (leadBaselines.isEmpty()) {
            return;
        }
        Map<String, EventSummary> combined = new TreeMap<>();
        for (EventSummary baseline : store.baselines(workspaceId, into)) {
            combined.put(baseline.name().value(), baseline);
        }
        for (EventSummary baseline : leadBaselines) {
            combined.merge(baseline.name().value(), baseline, EventSummary::plus);
        }
        store.putBaselines(workspaceId, into, List.copyOf(combined.values()));
    }
}
