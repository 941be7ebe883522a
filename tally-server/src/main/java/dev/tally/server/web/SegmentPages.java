package dev.tally.server.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.catalog.CatalogEntry;
import dev.tally.contact.ContactId;
import dev.tally.error.TallyException;
import dev.tally.search.ContactField;
import dev.tally.search.QueryParser;
import dev.tally.search.ValueType;
import dev.tally.segment.Segment;
import dev.tally.segment.SegmentId;
import dev.tally.service.EventCatalogService;
import dev.tally.service.SearchService;
import dev.tally.service.SegmentService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Segments page: a filter built from contact fields and event predicates, with a live count,
 * saved as a segment (issue 12's), and a segment's members. The form's rows become the search
 * query JSON the API takes, so the one QueryParser checks both.
 */
final class SegmentPages {
    static final int ROWS = 4;
    static final int MEMBERS_PER_PAGE = 50;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Templates templates;
    private final Pages pages;
    private final SegmentService segments;
    private final SearchService search;
    private final EventCatalogService catalog;

    SegmentPages(
            Templates templates,
            Pages pages,
            SegmentService segments,
            SearchService search,
            EventCatalogService catalog) {
        this.templates = requireNonNull(templates, "templates is null");
        this.pages = requireNonNull(pages, "pages is null");
        this.segments = requireNonNull(segments, "segments is null");
        this.search = requireNonNull(search, "search is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    WebResponse list(WebRequest request) {
        return page(request, 200, Optional.empty());
    }

    /** The list of saved segments with their counts now, and the builder (with an error, if any). */
    private WebResponse page(WebRequest request, int status, Optional<String> error) {
        Session session = request.requireSession();
        List<Views.SegmentRow> saved = new ArrayList<>();
        for (Segment segment : segments.list(session.workspaceId())) {
            saved.add(new Views.SegmentRow(
                    segment.id().value(), segment.name(), search.count(session.workspaceId(), segment)));
        }
        return WebResponse.html(
                status,
                templates.render(
                        "segments.jte",
                        new Views.SegmentsPage(
                                pages.chrome(session, "Segments", "segments"),
                                saved,
                                fields(session),
                                Views.OPERATORS,
                                ROWS,
                                error)));
    }

    /** The live count of the filter being built: a small fragment htmx swaps in. */
    WebResponse count(WebRequest request) {
        Session session = request.requireSession();
        Views.LiveCount answer;
        try {
            Optional<JsonNode> query = query(request.query());
            answer = query.map(json -> new Views.LiveCount(
                            Optional.of(search.count(session.workspaceId(), QueryParser.parse(json, "query"))),
                            Optional.empty()))
                    .orElseGet(() -> new Views.LiveCount(Optional.empty(), Optional.of("Add a condition to count.")));
        } catch (TallyException e) {
            answer = new Views.LiveCount(Optional.empty(), Optional.of(e.getMessage()));
        }
        return WebResponse.html(200, templates.render("segment-count.jte", answer));
    }

    WebResponse save(WebRequest request) {
        Session session = request.requireSession();
        String name = request.formParameter("name").map(String::strip).orElse("");
        try {
            JsonNode query = query(request.form())
                    .orElseThrow(() -> TallyException.invalid("query", "Add at least one condition."));
            Segment saved = segments.create(session.workspaceId(), name, query);
            return WebResponse.redirect("/app/segments/" + saved.id().value());
        } catch (TallyException e) {
            return page(request, 400, Optional.of(e.getMessage()));
        }
    }

    WebResponse members(WebRequest request) {
        Session session = request.requireSession();
        Segment segment = segments.get(session.workspaceId(), new SegmentId(request.pathParameter("id")));
        Optional<ContactId> after = request.queryParameter("after").map(ContactId::new);
        SearchService.SearchPage page = search.members(session.workspaceId(), segment.id(), after, MEMBERS_PER_PAGE);
        return templates.page(
                "segment.jte",
                new Views.SegmentPage(
                        pages.chrome(session, segment.name(), "segments"),
                        segment,
                        page.totalCount(),
                        page.contacts(),
                        page.next().map(ContactId::value)));
    }

    /** Contact fields, then each active event name's count, first and last. */
    private List<Views.FieldOption> fields(Session session) {
        List<Views.FieldOption> options = new ArrayList<>();
        for (ContactField field : ContactField.values()) {
            options.add(new Views.FieldOption(
                    field.wireName(), "Contact " + field.wireName().replace('_', ' '), kind(field.type())));
        }
        for (CatalogEntry entry : catalog.list(session.workspaceId(), false)) {
            String name = entry.name().value();
            options.add(new Views.FieldOption("events." + name + ".count", name + ": how many times", "number"));
            options.add(new Views.FieldOption("events." + name + ".first", name + ": first time, days ago", "days"));
            options.add(new Views.FieldOption("events." + name + ".last", name + ": last time, days ago", "days"));
        }
        return List.copyOf(options);
    }

    private static String kind(ValueType type) {
        return switch (type) {
            case NUMBER -> "number";
            case DATE -> "days";
            default -> "text";
        };
    }

    /**
     * The query JSON of the form's rows ({@code field}, {@code operator}, {@code value}, repeated)
     * joined by {@code combine} (AND or OR); rows without a field or a value are left out.
     */
    static Optional<JsonNode> query(Map<String, List<String>> form) {
        List<String> fields = form.getOrDefault("field", List.of());
        List<String> operators = form.getOrDefault("operator", List.of());
        List<String> values = form.getOrDefault("value", List.of());
        ArrayNode terms = JSON.arrayNode();
        for (int i = 0; i < fields.size() && i < operators.size() && i < values.size(); i++) {
            String field = fields.get(i).strip();
            String value = values.get(i).strip();
            if (field.isEmpty() || value.isEmpty()) {
                continue;
            }
            String operator = operators.get(i);
            ObjectNode term = JSON.objectNode();
            term.put("field", field);
            term.put("operator", operator);
            if (operator.equals("IN") || operator.equals("NIN")) {
                ArrayNode list = term.putArray("value");
                for (String item : value.split(",")) {
                    list.add(typed(field, item.strip()));
                }
            } else {
                term.set("value", typed(field, value));
            }
            terms.add(term);
        }
        if (terms.isEmpty()) {
            return Optional.empty();
        }
        if (terms.size() == 1) {
            return Optional.of(terms.get(0));
        }
        ObjectNode group = JSON.objectNode();
        group.put(
                "operator", form.getOrDefault("combine", List.of("AND")).get(0).equals("OR") ? "OR" : "AND");
        group.set("value", terms);
        return Optional.of(group);
    }

    /** A value as the field's type wants it: whole numbers for counts, {@code {"days_ago": N}} for dates. */
    private static JsonNode typed(String field, String value) {
        boolean count = field.startsWith("events.") && field.endsWith(".count");
        boolean date = (field.startsWith("events.") && (field.endsWith(".first") || field.endsWith(".last")))
                || field.equals("created_at")
                || field.equals("updated_at");
        if (count || date) {
            long number;
            try {
                number = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw TallyException.invalid(
                        "value", field + " needs a whole number" + (date ? " of days ago" : "") + ", not " + value);
            }
            if (count) {
                return JSON.numberNode(number);
            }
            ObjectNode daysAgo = JSON.objectNode();
            daysAgo.put("days_ago", number);
            return daysAgo;
        }
        return JSON.textNode(value);
    }
}
