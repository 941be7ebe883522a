package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.catalog.CatalogEntry;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.error.ErrorCode;
import dev.tally.error.TallyException;
import dev.tally.event.EventName;
import dev.tally.search.ContactField;
import dev.tally.search.Query;
import dev.tally.search.QueryParser;
import dev.tally.segment.Segment;
import dev.tally.segment.SegmentId;
import dev.tally.service.ContactService;
import dev.tally.service.EventCatalogService;
import dev.tally.service.SearchService;
import dev.tally.service.SegmentService;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The event catalog and archiving, contact search ({@code POST /contacts/search}) and saved
 * segments. Reads take a read token, changes a write token.
 */
public final class SegmentsApi {
    private static final int DEFAULT_PER_PAGE = 50;
    private static final Set<String> SORT_ORDERS = Set.of("ascending", "descending");
    private static final int MAX_PER_PAGE = 150;

    private final EventCatalogService catalog;
    private final SegmentService segments;
    private final SearchService search;
    private final ContactService contacts;

    public SegmentsApi(
            EventCatalogService catalog, SegmentService segments, SearchService search, ContactService contacts) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.segments = requireNonNull(segments, "segments is null");
        this.search = requireNonNull(search, "search is null");
        this.contacts = requireNonNull(contacts, "contacts is null");
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/events/catalog", Access.READ, this::listCatalog),
                new Route("GET", "/events/catalog/{event_name}", Access.READ, this::getCatalogEntry),
                new Route(
                        "POST",
                        "/events/catalog/{event_name}/archive",
                        Access.WRITE,
                        request -> archive(request, true)),
                new Route(
                        "POST",
                        "/events/catalog/{event_name}/unarchive",
                        Access.WRITE,
                        request -> archive(request, false)),
                new Route("POST", "/contacts/search", Access.READ, this::search),
                new Route("GET", "/contacts/{id}/segments", Access.READ, this::contactSegments),
                new Route("GET", "/segments", Access.READ, this::listSegments),
                new Route("POST", "/segments", Access.WRITE, this::createSegment),
                new Route("GET", "/segments/{id}", Access.READ, this::getSegment),
                new Route("PUT", "/segments/{id}", Access.WRITE, this::updateSegment),
                new Route("DELETE", "/segments/{id}", Access.WRITE, this::deleteSegment));
    }

    ApiResponse listCatalog(ApiRequest request) {
        boolean includeArchived = flag(request, "include_archived");
        return ApiResponse.json(200, WireJson.catalog(catalog.list(request.workspaceId(), includeArchived)));
    }

    ApiResponse getCatalogEntry(ApiRequest request) {
        return ApiResponse.json(200, WireJson.catalogEntry(catalog.get(request.workspaceId(), eventName(request))));
    }

    ApiResponse archive(ApiRequest request, boolean archived) {
        EventName name = eventName(request);
        CatalogEntry entry = archived
                ? catalog.archive(request.workspaceId(), name)
                : catalog.unarchive(request.workspaceId(), name);
        return ApiResponse.json(200, WireJson.catalogEntry(entry));
    }

    /**
     * Intercom's search: {@code {"query": ..., "pagination": {"per_page", "starting_after"}}}; the
     * answer has {@code total_count} and {@code pages}.
     */
    ApiResponse search(ApiRequest request) {
        JsonNode body = request.jsonBody();
        Query query = QueryParser.parse(body.get("query"), "query");
        checkSort(body.get("sort"));
        JsonNode pagination = body.path("pagination");
        if (!pagination.isMissingNode() && !pagination.isObject()) {
            throw TallyException.invalid("pagination", "pagination must be an object");
        }
        JsonNode perPageNode = pagination.path("per_page");
        int perPage = PerPage.parse(
                perPageNode.isMissingNode() || perPageNode.isNull()
                        ? Optional.empty()
                        : Optional.of(perPageNode.asText()),
                DEFAULT_PER_PAGE,
                MAX_PER_PAGE);
        JsonNode startingAfter = pagination.path("starting_after");
        Optional<ContactId> after = Optional.empty();
        if (!startingAfter.isMissingNode() && !startingAfter.isNull()) {
            if (!startingAfter.isTextual()
                    || startingAfter.textValue().isEmpty()
                    || startingAfter.textValue().length() > 64) {
                throw TallyException.invalid(
                        "pagination.starting_after", "starting_after must be the id of the last contact of a page");
            }
            after = Optional.of(new ContactId(startingAfter.textValue()));
        }
        SearchService.SearchPage page = search.search(request.workspaceId(), query, after, perPage);
        return ApiResponse.json(200, WireJson.searchPage(page, perPage));
    }

    /**
     * 2.16's {@code sort}: {@code {"field": a searchable contact field, "order": "ascending" |
     * "descending"}} is checked, but the answer stays in contact id order (docs/api.md, "Contact
     * search"), which the {@code starting_after} cursor needs.
     */
    private static void checkSort(JsonNode sort) {
        if (sort == null || sort.isNull()) {
            return;
        }
        if (!sort.isObject()) {
            throw TallyException.invalid("sort", "sort must be an object {\"field\", \"order\"}");
        }
        JsonNode field = sort.get("field");
        if (field == null
                || !field.isTextual()
                || ContactField.fromWireName(field.textValue()).isEmpty()) {
            throw TallyException.invalid("sort.field", "sort.field must be a searchable contact field");
        }
        JsonNode order = sort.get("order");
        if (order != null && !order.isNull() && !(order.isTextual() && SORT_ORDERS.contains(order.textValue()))) {
            throw TallyException.invalid("sort.order", "Invalid sort order. Must be one of: ascending, descending");
        }
    }

    ApiResponse contactSegments(ApiRequest request) {
        String id = request.pathParameter("id");
        if (id.length() > 64) {
            throw new TallyException(ErrorCode.NOT_FOUND, "No such id[" + id.substring(0, 64) + "…]", "id");
        }
        Contact contact = contacts.get(request.workspaceId(), new ContactId(id));
        return ApiResponse.json(200, WireJson.contactSegments(search.segmentsOf(request.workspaceId(), contact)));
    }

    ApiResponse listSegments(ApiRequest request) {
        boolean includeCount = flag(request, "include_count");
        List<Segment> all = segments.list(request.workspaceId());
        List<OptionalLong> counts = all.stream()
                .map(segment -> includeCount
                        ? OptionalLong.of(search.count(request.workspaceId(), segment))
                        : OptionalLong.empty())
                .toList();
        return ApiResponse.json(200, WireJson.segmentList(all, counts));
    }

    ApiResponse getSegment(ApiRequest request) {
        Segment segment = segments.get(request.workspaceId(), segmentId(request));
        return ApiResponse.json(200, WireJson.segment(segment, count(request, segment)));
    }

    ApiResponse createSegment(ApiRequest request) {
        JsonNode body = request.jsonBody();
        Segment segment = segments.create(
                request.workspaceId(),
                name(body).orElseThrow(() -> TallyException.missing("name", "name is required")),
                queryOf(body).orElseThrow(() -> TallyException.missing("query", "query is required")));
        return ApiResponse.json(200, WireJson.segment(segment, OptionalLong.empty()));
    }

    ApiResponse updateSegment(ApiRequest request) {
        JsonNode body = request.jsonBody();
        Segment segment = segments.update(request.workspaceId(), segmentId(request), name(body), queryOf(body));
        return ApiResponse.json(200, WireJson.segment(segment, OptionalLong.empty()));
    }

    ApiResponse deleteSegment(ApiRequest request) {
        Segment segment = segments.get(request.workspaceId(), segmentId(request));
        segments.delete(request.workspaceId(), segment.id());
        return ApiResponse.json(200, WireJson.deletedSegment(segment));
    }

    private OptionalLong count(ApiRequest request, Segment segment) {
        return flag(request, "include_count")
                ? OptionalLong.of(search.count(request.workspaceId(), segment))
                : OptionalLong.empty();
    }

    private static Optional<String> name(JsonNode body) {
        JsonNode name = body.get("name");
        if (name == null) {
            return Optional.empty();
        }
        if (!name.isTextual()) {
            throw TallyException.invalid("name", "name must be a string");
        }
        return Optional.of(name.textValue());
    }

    private static Optional<JsonNode> queryOf(JsonNode body) {
        return Optional.ofNullable(body.get("query")).filter(query -> !query.isNull());
    }

    private static boolean flag(ApiRequest request, String name) {
        return request.queryParameter(name)
                .map(value -> switch (value) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw TallyException.invalid(name, name + " must be true or false");
                })
                .orElse(false);
    }

    private static SegmentId segmentId(ApiRequest request) {
        String id = request.pathParameter("id");
        if (id.isEmpty() || id.length() > 64) {
            throw new TallyException(ErrorCode.NOT_FOUND, "No such segment", "id");
        }
        return new SegmentId(id);
    }

    private static EventName eventName(ApiRequest request) {
        try {
            return EventName.of(request.pathParameter("event_name"));
        } catch (IllegalArgumentException e) {
            throw TallyException.invalid("event_name", "event_name must be 1-" + EventName.MAX_LENGTH + " characters");
        }
    }
}
