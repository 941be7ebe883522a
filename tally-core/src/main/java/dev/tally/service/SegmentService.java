package dev.tally.service;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.catalog.CatalogEntry;
import dev.tally.error.ErrorCode;
import dev.tally.error.InputText;
import dev.tally.error.TallyException;
import dev.tally.event.EventName;
import dev.tally.json.TallyJson;
import dev.tally.search.EventField;
import dev.tally.search.Query;
import dev.tally.search.QueryParser;
import dev.tally.search.SegmentField;
import dev.tally.segment.Segment;
import dev.tally.segment.SegmentId;
import dev.tally.storage.TallyStore;
import dev.tally.workspace.WorkspaceId;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Saved segments: a unique name and a search query, kept as the client wrote it. A segment's query
 * may not use {@code segment_id} (so membership never recurses) nor an archived event name (see
 * {@link EventCatalogService}). Membership is not stored: {@link SearchService} computes it when
 * asked, so it is exact then, and a {@code days_ago} date moves with time.
 */
public final class SegmentService {
    static final String KIND = "segment";
    private static final int MAX_SEGMENTS = 1_000;

    private final TallyStore store;
    private final Clock clock;

    public SegmentService(TallyStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Creates a segment from a name and the query JSON; 400 naming the part that is wrong. */
    public Segment create(WorkspaceId workspaceId, String name, JsonNode query) {
        List<Segment> existing = list(workspaceId);
        if (existing.size() >= MAX_SEGMENTS) {
            throw TallyException.invalid("name", "a workspace has at most " + MAX_SEGMENTS + " segments");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Segment segment = new Segment(
                SegmentId.random(),
                workspaceId,
                checkedName(existing, name, Optional.empty()),
                checkedQuery(workspaceId, query),
                query.toString(),
                now,
                now);
        save(segment);
        return segment;
    }

    /** Changes a segment's name and/or query; what is absent stays. */
    public Segment update(WorkspaceId workspaceId, SegmentId id, Optional<String> name, Optional<JsonNode> query) {
        Segment current = get(workspaceId, id);
        Segment updated = new Segment(
                id,
                workspaceId,
                name.isPresent() ? checkedName(list(workspaceId), name.get(), Optional.of(id)) : current.name(),
                query.isPresent() ? checkedQuery(workspaceId, query.get()) : current.query(),
                query.map(JsonNode::toString).orElse(current.queryJson()),
                current.createdAt(),
                clock.instant().truncatedTo(ChronoUnit.SECONDS));
        save(updated);
        return updated;
    }

    /**
     * Deletes a segment; 409 naming the subscriptions while webhook subscriptions notify for its
     * members (delete those, or they would silently notify nobody).
     */
    public void delete(WorkspaceId workspaceId, SegmentId id) {
        List<String> subscriptions = store.webhooks().listSubscriptions(workspaceId).stream()
                .filter(subscription -> subscription.segmentId().equals(Optional.of(id)))
                .map(subscription -> subscription.id().value())
                .toList();
        if (!subscriptions.isEmpty() && find(workspaceId, id.value()).isPresent()) {
            throw new TallyException(
                    ErrorCode.CONFLICT,
                    "segment " + id + " is used by the webhook subscriptions " + String.join(", ", subscriptions)
                            + "; delete them first",
                    "id");
        }
        if (!store.deleteDocument(workspaceId, KIND, id.value())) {
            throw notFound(id.value());
        }
    }

    public Segment get(WorkspaceId workspaceId, SegmentId id) {
        return find(workspaceId, id.value()).orElseThrow(() -> notFound(id.value()));
    }

    /** A segment by the id as sent (any string); empty if there is none. */
    public Optional<Segment> find(WorkspaceId workspaceId, String id) {
        if (id.isEmpty() || id.length() > 64) {
            return Optional.empty();
        }
        return store.findDocument(workspaceId, KIND, id).map(json -> read(workspaceId, json));
    }

    /** Every segment of the workspace, oldest first. */
    public List<Segment> list(WorkspaceId workspaceId) {
        return store.listDocuments(workspaceId, KIND).stream()
                .map(json -> read(workspaceId, json))
                .sorted(Comparator.comparing(Segment::createdAt)
                        .thenComparing(segment -> segment.id().value()))
                .toList();
    }

    private static String checkedName(List<Segment> existing, String name, Optional<SegmentId> self) {
        String stripped = name.strip();
        if (stripped.isEmpty()
                || stripped.length() > Segment.MAX_NAME_LENGTH
                || InputText.hasControlCharacter(stripped)) {
            throw TallyException.invalid(
                    "name", "name must be 1-" + Segment.MAX_NAME_LENGTH + " characters without control characters");
        }
        for (Segment segment : existing) {
            if (segment.name().equals(stripped) && !Optional.of(segment.id()).equals(self)) {
                throw new TallyException(
                        ErrorCode.CONFLICT,
                        "A segment named " + InputText.abbreviate(stripped) + " already exists",
                        "name");
            }
        }
        return stripped;
    }

    private Query checkedQuery(WorkspaceId workspaceId, JsonNode json) {
        Query query = QueryParser.parse(json, "query");
        if (query.conditions().stream().anyMatch(condition -> condition.field() == SegmentField.SEGMENT_ID)) {
            throw TallyException.invalid("query", "a segment's query cannot use segment_id");
        }
        Set<EventName> archived = store.catalog(workspaceId).stream()
                .filter(CatalogEntry::archived)
                .map(CatalogEntry::name)
                .collect(Collectors.toSet());
        for (Query.Condition condition : query.conditions()) {
            if (condition.field() instanceof EventField event && archived.contains(event.name())) {
                throw TallyException.invalid(
                        "query", "the event " + event.name() + " is archived; unarchive it to use it in a segment");
            }
        }
        return query;
    }

    private void save(Segment segment) {
        ObjectNode json = TallyJson.mapper().createObjectNode();
        json.put("id", segment.id().value());
        json.put("name", segment.name());
        json.put("created_at", segment.createdAt().getEpochSecond());
        json.put("updated_at", segment.updatedAt().getEpochSecond());
        json.put("query", segment.queryJson());
        store.putDocument(segment.workspaceId(), KIND, segment.id().value(), json.toString());
    }

    private static Segment read(WorkspaceId workspaceId, String stored) {
        try {
            JsonNode json = TallyJson.mapper().readTree(stored);
            String queryJson = json.get("query").textValue();
            return new Segment(
                    new SegmentId(json.get("id").textValue()),
                    workspaceId,
                    json.get("name").textValue(),
                    QueryParser.parse(TallyJson.mapper().readTree(queryJson), "query"),
                    queryJson,
                    Instant.ofEpochSecond(json.get("created_at").longValue()),
                    Instant.ofEpochSecond(json.get("updated_at").longValue()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a stored segment is not JSON", e);
        }
    }

    private static TallyException notFound(String id) {
        return new TallyException(ErrorCode.NOT_FOUND, "No such segment[" + InputText.abbreviate(id) + "]", "id");
    }
}
