package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactRef;
import dev.tally.contact.ContactRefParser;
import dev.tally.error.InputText;
import dev.tally.error.TallyException;
import dev.tally.event.EventCursor;
import dev.tally.event.EventName;
import dev.tally.event.EventOutcome;
import dev.tally.event.EventPage;
import dev.tally.event.EventSubmissionParser;
import dev.tally.server.config.ApiLimits;
import dev.tally.service.ContactService;
import dev.tally.service.EventService;
import dev.tally.summary.EventSummary;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@code POST /events}, {@code GET /events} (list and summary) and {@code POST /events/summaries}. */
public final class EventsApi {
    /** Names the metadata keys Tally did not keep, since a 202's body must stay empty. */
    public static final String IGNORED_KEYS_HEADER = "X-Tally-Ignored-Metadata-Keys";

    private static final List<String> IDENTIFIERS = List.of("user_id", "email", "intercom_user_id");
    private static final List<String> BODY_IDENTIFIERS = List.of("id", "intercom_user_id", "user_id", "email");

    private final EventService events;
    private final ContactService contacts;
    private final EventSubmissionParser parser;
    private final ApiLimits limits;
    private final Clock clock;

    public EventsApi(EventService events, ContactService contacts, ApiLimits limits, Clock clock) {
        this.events = requireNonNull(events, "events is null");
        this.contacts = requireNonNull(contacts, "contacts is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.parser = new EventSubmissionParser(limits.metadata());
    }

    public List<Route> routes() {
        return List.of(
                new Route("POST", "/events", Access.WRITE, this::submit),
                new Route("GET", "/events", Access.READ, this::list),
                new Route("POST", "/events/summaries", Access.WRITE, this::putSummaries));
    }

    ApiResponse submit(ApiRequest request) {
        JsonNode body = request.jsonBody();
        EventOutcome.Accepted accepted =
                events.submit(request.workspaceId(), parser.parse(body, clock.instant(), Optional.empty()));
        ApiResponse response = ApiResponse.empty(202);
        if (!accepted.ignoredKeys().isEmpty()) {
            response = response.withHeader(IGNORED_KEYS_HEADER, headerList(accepted.ignoredKeys()));
        }
        return response;
    }

    ApiResponse list(ApiRequest request) {
        String type = request.queryParameter("type")
                .orElseThrow(() -> TallyException.missing("type", "type is required and must be 'user'"));
        if (!type.equals("user")) {
            throw TallyException.invalid("type", "type must be 'user', got '" + InputText.abbreviate(type) + "'");
        }
        ContactRefParser.Named identifier = ContactRefParser.fromParameters(request::queryParameter, IDENTIFIERS)
                .orElseThrow(() ->
                        TallyException.missing("user_id", "give exactly one of user_id, email or intercom_user_id"));
        Contact contact = contacts.resolve(request.workspaceId(), identifier.ref());
        if (request.queryParameter("summary").map(Boolean::parseBoolean).orElse(false)) {
            List<EventSummary> summaries = events.summarize(request.workspaceId(), contact);
            return ApiResponse.json(200, WireJson.eventSummary(contact, summaries));
        }
        int perPage = PerPage.parse(request.queryParameter("per_page"), limits.defaultPerPage(), limits.maxPerPage());
        Optional<EventCursor> cursor = request.queryParameter("cursor").map(token -> EventCursor.decode(token)
                .orElseThrow(() -> TallyException.invalid(
                        "cursor", "cursor is not one Tally issued; follow pages.next as given")));
        EventPage page = events.list(request.workspaceId(), contact, cursor, perPage);
        Optional<String> next = page.next()
                .map(position -> request.baseUrl() + "/events?type=user&"
                        + identifier.field() + "="
                        + UrlText.encode(identifier.ref().value())
                        + "&per_page=" + perPage
                        + "&cursor=" + position.encode());
        return ApiResponse.json(200, WireJson.eventList(contact, page.events(), next));
    }

    /**
     * Baselines for events counted outside Tally. The schema says {@code event_summaries} is an
     * object; a list is accepted too.
     */
    ApiResponse putSummaries(ApiRequest request) {
        JsonNode body = request.jsonBody();
        Contact contact = contacts.resolve(request.workspaceId(), bodyContact(body));
        JsonNode summaries = body.get("event_summaries");
        if (summaries == null || summaries.isNull()) {
            throw TallyException.missing("event_summaries", "event_summaries is required");
        }
        List<JsonNode> items = new ArrayList<>();
        if (summaries.isArray()) {
            summaries.forEach(items::add);
        } else if (summaries.isObject()) {
            items.add(summaries);
        } else {
            throw TallyException.invalid("event_summaries", "event_summaries must be an object or a list of objects");
        }
        List<EventSummary> baselines = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            baselines.add(
                    baseline(items.get(i), summaries.isArray() ? "event_summaries[" + i + "]" : "event_summaries"));
        }
        events.putBaselines(request.workspaceId(), contact, baselines);
        return ApiResponse.empty(200);
    }

    private static EventSummary baseline(JsonNode item, String field) {
        if (!item.isObject()) {
            throw TallyException.invalid(field, field + " must be an object");
        }
        JsonNode name = item.get("event_name");
        if (name == null
                || !name.isTextual()
                || name.textValue().isBlank()
                || name.textValue().length() > EventName.MAX_LENGTH) {
            throw TallyException.invalid(field + ".event_name", field + ".event_name must be a non-empty string");
        }
        long count = nonNegative(item, "count", field);
        long first = nonNegative(item, "first", field);
        long last = nonNegative(item, "last", field);
        if (first > last) {
            throw TallyException.invalid(field + ".first", field + ".first must not be after last");
        }
        return new EventSummary(EventName.of(name.textValue()), count, first, last);
    }

    private static long nonNegative(JsonNode item, String name, String field) {
        JsonNode value = item.get(name);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw TallyException.invalid(
                    field + "." + name, field + "." + name + " must be a non-negative whole number");
        }
        return value.longValue();
    }

    private static ContactRef bodyContact(JsonNode body) {
        return ContactRefParser.fromJson(
                body,
                BODY_IDENTIFIERS,
                () -> TallyException.missing("user_id", "name the contact with user_id, email or id"));
    }

    /** Keys are percent-encoded so that any key (commas, non-ASCII) survives in a header. */
    static String headerList(List<String> keys) {
        return keys.stream().map(UrlText::encode).collect(Collectors.joining(","));
    }
}
