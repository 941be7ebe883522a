package dev.tally.service;

import static java.util.Objects.requireNonNull;

import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.error.TallyException;
import dev.tally.event.EventName;
import dev.tally.search.Candidate;
import dev.tally.search.Operator;
import dev.tally.search.Query;
import dev.tally.search.SegmentField;
import dev.tally.search.Value;
import dev.tally.segment.Segment;
import dev.tally.segment.SegmentId;
import dev.tally.storage.TallyStore;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.WorkspaceId;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Contact search and segment membership, on any store, exact at the moment asked: relative dates
 * ({@code days_ago}) are fixed at the clock's now, {@code segment_id} conditions are replaced by
 * the segment's query, then the {@link QueryEngine} runs it. Results are in contact id order.
 */
public final class SearchService {
    private final TallyStore store;
    private final SegmentService segments;
    private final Clock clock;
    private final QueryEngine engine;

    public SearchService(TallyStore store, SegmentService segments, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.segments = requireNonNull(segments, "segments is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.engine = new QueryEngine(store);
    }

    /**
     * One page of matches, how many match in all, the page's number (1-based, counting the matches
     * before it in pages of this size), and where the next page starts (if any).
     */
    public record SearchPage(List<Contact> contacts, long totalCount, long page, Optional<ContactId> next) {
        public SearchPage {
            contacts = List.copyOf(contacts);
            requireNonNull(next, "next is null");
        }

        /** Pages of {@code perPage} that {@code totalCount} fills (0 when nothing matches). */
        public long totalPages(int perPage) {
            return (totalCount + perPage - 1) / perPage;
        }
    }

    /** The matches after {@code after} (at most {@code perPage}), with the total over all pages. */
    public SearchPage search(WorkspaceId workspaceId, Query query, Optional<ContactId> after, int perPage) {
        if (perPage < 1) {
            throw new IllegalArgumentException("perPage must be >= 1");
        }
        QueryEngine.Result result = engine.run(workspaceId, prepare(workspaceId, query), after, perPage + 1);
        List<Contact> found = result.page();
        long number = result.before() / perPage + 1;
        if (found.size() <= perPage) {
            return new SearchPage(found, result.total(), number, Optional.empty());
        }
        List<Contact> page = found.subList(0, perPage);
        return new SearchPage(
                page, result.total(), number, Optional.of(page.get(perPage - 1).id()));
    }

    /** How many contacts match now. */
    public long count(WorkspaceId workspaceId, Query query) {
        return engine.run(workspaceId, prepare(workspaceId, query), Optional.empty(), 0)
                .total();
    }

    /** The segments the contact belongs to now, in the order {@link SegmentService#list} gives. */
    public List<Segment> segmentsOf(WorkspaceId workspaceId, Contact contact) {
        Candidate candidate = candidate(workspaceId, contact);
        Instant now = clock.instant();
        return segments.list(workspaceId).stream()
                .filter(segment -> segment.query().at(now).matches(candidate))
                .toList();
    }

    /** Whether a contact is in a segment, and whether the segment exists. */
    public enum Membership {
        MEMBER,
        NOT_MEMBER,
        NO_SUCH_SEGMENT
    }

    /**
     * Whether the contact is in the segment now: the segment's query on this one contact's fields
     * and summaries (one read of each), never an evaluation of the whole segment.
     */
    public Membership membership(WorkspaceId workspaceId, SegmentId segmentId, Contact contact) {
        Optional<Segment> segment = segments.find(workspaceId, segmentId.value());
        if (segment.isEmpty()) {
            return Membership.NO_SUCH_SEGMENT;
        }
        return segment.get().query().at(clock.instant()).matches(candidate(workspaceId, contact))
                ? Membership.MEMBER
                : Membership.NOT_MEMBER;
    }

    /** A contact with its event summaries, read once, to match queries against. */
    private Candidate candidate(WorkspaceId workspaceId, Contact contact) {
        Map<EventName, EventSummary> summaries = new HashMap<>();
        store.summaries(workspaceId, contact.id()).forEach(summary -> summaries.put(summary.name(), summary));
        return new Candidate() {
            @Override
            public Contact contact() {
                return contact;
            }

            @Override
            public Optional<EventSummary> summary(EventName name) {
                return Optional.ofNullable(summaries.get(name));
            }
        };
    }

    /** Relative dates fixed at now, and each {@code segment_id} replaced by that segment's query. */
    private Query prepare(WorkspaceId workspaceId, Query query) {
        Instant now = clock.instant();
        return query.at(now).map(condition -> {
            if (condition.field() != SegmentField.SEGMENT_ID) {
                return condition;
            }
            String id = ((Value.Text) condition.values().get(0)).value();
            Segment segment = segments.find(workspaceId, id)
                    .orElseThrow(() -> TallyException.invalid("query", "segment_id " + id + ": no such segment"));
            // A saved segment's query never names a segment (SegmentService refuses it), so this ends.
            Query inlined = segment.query().at(now);
            return condition.operator() == Operator.EQ ? inlined : new Query.Not(inlined);
        });
    }

    /** For callers holding a segment: its members now. */
    public long count(WorkspaceId workspaceId, Segment segment) {
        return count(workspaceId, segment.query());
    }

    /** A page of a segment's members now. */
    public SearchPage members(WorkspaceId workspaceId, SegmentId id, Optional<ContactId> after, int perPage) {
        return search(workspaceId, segments.get(workspaceId, id).query(), after, perPage);
    }
}
