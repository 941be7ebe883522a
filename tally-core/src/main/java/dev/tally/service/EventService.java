package dev.tally.service;

import static java.util.Objects.requireNonNull;

import dev.tally.contact.Contact;
import dev.tally.error.TallyException;
import dev.tally.event.AppendResult;
import dev.tally.event.DataEvent;
import dev.tally.event.EventCursor;
import dev.tally.event.EventId;
import dev.tally.event.EventName;
import dev.tally.event.EventOutcome;
import dev.tally.event.EventPage;
import dev.tally.event.EventSubmission;
import dev.tally.storage.TallyStore;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.WorkspaceId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/** Takes events in, lists them and summarizes them. */
public final class EventService {
    /** Intercom lists only events less than 90 days old; summaries cover all history. */
    public static final Duration LIST_WINDOW = Duration.ofDays(90);

    private final TallyStore store;
    private final ContactService contacts;
    private final Clock clock;
    private final LongAdder stored = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final AtomicLong waiting = new AtomicLong();

    /** Events taken in since the start: stored, accepted as duplicates of stored ones, rejected (unknown contact). */
    public record Counts(long stored, long duplicates, long rejected) {}

    public EventService(TallyStore store, ContactService contacts, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.contacts = requireNonNull(contacts, "contacts is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Stores one event; returns after the commit is durable. Throws for an unknown contact. */
    public EventOutcome.Accepted submit(WorkspaceId workspaceId, EventSubmission submission) {
        TallyException[] failure = new TallyException[1];
        EventOutcome outcome = submitEach(workspaceId, List.of(submission), item -> item, failure)
                .get(0);
        return switch (outcome) {
            case EventOutcome.Accepted accepted -> accepted;
            // The contact's own exception, so that a merged lead's keeps the user it became.
            case EventOutcome.Rejected rejected ->
                throw failure[0] != null ? failure[0] : new TallyException(rejected.errors());
        };
    }

    /** Stores many events in one commit; see {@link #submitEach}. */
    public List<EventOutcome> submitAll(WorkspaceId workspaceId, List<EventSubmission> submissions) {
        return submitEach(workspaceId, submissions, submission -> submission);
    }

    /**
     * The one way in for many events: reads each item with {@code read}, names its contact, and stores
     * all that pass in one commit, returning after it is durable. Each item fails alone: one that
     * {@code read} rejects, or whose contact is unknown, gets its errors; the others are stored.
     * Outcomes are in the order of the items.
     */
    public <T> List<EventOutcome> submitEach(
            WorkspaceId workspaceId, List<T> items, Function<? super T, EventSubmission> read) {
        return submitEach(workspaceId, items, read, new TallyException[items.size()]);
    }

    /** As {@link #submitEach(WorkspaceId, List, Function)}, keeping each rejection's exception in {@code failures}. */
    private <T> List<EventOutcome> submitEach(
            WorkspaceId workspaceId,
            List<T> items,
            Function<? super T, EventSubmission> read,
            TallyException[] failures) {
        EventOutcome[] outcomes = new EventOutcome[items.size()];
        List<DataEvent> toAppend = new ArrayList<>(items.size());
        List<EventSubmission> appended = new ArrayList<>(items.size());
        int[] appendedAt = new int[items.size()];
        for (int index = 0; index < items.size(); index++) {
            try {
                EventSubmission submission = read.apply(items.get(index));
                Contact contact = contacts.resolve(workspaceId, submission.contact());
                toAppend.add(new DataEvent(
                        EventId.random(),
                        workspaceId,
                        contact.id(),
                        submission.name(),
                        submission.createdAt(),
                        submission.metadata()));
                appendedAt[appended.size()] = index;
                appended.add(submission);
            } catch (TallyException e) {
                rejected.increment();
                failures[index] = e;
                outcomes[index] = new EventOutcome.Rejected(e.errors());
            }
        }
        if (!toAppend.isEmpty()) {
            List<AppendResult> results;
            waiting.addAndGet(toAppend.size());
            try {
                results = store.append(toAppend);
            } finally {
                waiting.addAndGet(-toAppend.size());
            }
            for (int i = 0; i < results.size(); i++) {
                AppendResult result = results.get(i);
                (result.status() == AppendResult.Status.DUPLICATE ? duplicates : stored).increment();
                List<String> ignored = new ArrayList<>(result.ignoredKeys());
                ignored.addAll(appended.get(i).keysOverLimit());
                outcomes[appendedAt[i]] = new EventOutcome.Accepted(result.status(), ignored);
            }
        }
        return List.of(outcomes);
    }

    public Counts counts() {
        return new Counts(stored.sum(), duplicates.sum(), rejected.sum());
    }

    /**
     * Events handed to the store and not yet committed, now: how far ingest is queueing (a few at a
     * moderate rate, about as many as the clients send at once when saturated).
     */
    public long waiting() {
        return waiting.get();
    }

    /** A page of a contact's events of the last 90 days, newest first. */
    public EventPage list(WorkspaceId workspaceId, Contact contact, Optional<EventCursor> after, int perPage) {
        if (perPage < 1) {
            throw new IllegalArgumentException("perPage must be >= 1");
        }
        // "Less than 90 days old": an event exactly 90 days old is no longer listed.
        return page(workspaceId, contact, clock.instant().minus(LIST_WINDOW).getEpochSecond() + 1, after, perPage);
    }

    /** A page of a contact's whole timeline, newest first: the dashboard shows all of it. */
    public EventPage timeline(WorkspaceId workspaceId, Contact contact, Optional<EventCursor> after, int perPage) {
        if (perPage < 1) {
            throw new IllegalArgumentException("perPage must be >= 1");
        }
        return page(workspaceId, contact, 0, after, perPage);
    }

    private EventPage page(
            WorkspaceId workspaceId, Contact contact, long minCreatedAt, Optional<EventCursor> after, int perPage) {
        List<DataEvent> events = store.listEvents(workspaceId, contact.id(), minCreatedAt, after, perPage + 1);
        if (events.size() <= perPage) {
            return new EventPage(events, Optional.empty());
        }
        List<DataEvent> page = events.subList(0, perPage);
        return new EventPage(page, Optional.of(EventCursor.after(page.get(perPage - 1))));
    }

    /** Per-name count, first and last over all history, with posted baselines added, by name. */
    public List<EventSummary> summarize(WorkspaceId workspaceId, Contact contact) {
        Map<EventName, EventSummary> byName = new TreeMap<>();
        for (EventSummary summary : store.summaries(workspaceId, contact.id())) {
            byName.merge(summary.name(), summary, EventSummary::plus);
        }
        for (EventSummary baseline : store.baselines(workspaceId, contact.id())) {
            byName.merge(baseline.name(), baseline, EventSummary::plus);
        }
        return List.copyOf(byName.values());
    }

    /** Sets baselines for events counted outside Tally; posting a name again replaces its baseline. */
    public void putBaselines(WorkspaceId workspaceId, Contact contact, List<EventSummary> baselines) {
        store.putBaselines(workspaceId, contact.id(), baselines);
    }
}
