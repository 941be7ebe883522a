package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.error.TallyError;
import dev.tally.error.TallyException;
import dev.tally.event.EventOutcome;
import dev.tally.event.EventSubmissionParser;
import dev.tally.server.config.ApiLimits;
import dev.tally.service.EventService;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code POST /events/batch}, a Tally extension for high-volume senders: many events in one request
 * (a JSON array, or NDJSON with {@code Content-Type: application/x-ndjson}), stored in one commit,
 * answered with a result per event. One bad event fails alone.
 */
public final class BatchApi {
    /** Most events one batch may carry; documented in docs/api.md. */
    public static final int MAX_EVENTS = 1000;

    private final EventService events;
    private final EventSubmissionParser parser;
    private final Clock clock;

    public BatchApi(EventService events, ApiLimits limits, Clock clock) {
        this.events = requireNonNull(events, "events is null");
        this.parser = new EventSubmissionParser(limits.metadata());
        this.clock = requireNonNull(clock, "clock is null");
    }

    public List<Route> routes() {
        return List.of(new Route("POST", "/events/batch", Access.WRITE, this::submit).withBatchBody());
    }

    ApiResponse submit(ApiRequest request) {
        List<Item> items = items(request);
        if (items.size() > MAX_EVENTS) {
            throw TallyException.invalid(
                    "body", "a batch carries at most " + MAX_EVENTS + " events, got " + items.size());
        }
        Instant now = clock.instant();
        List<EventOutcome> outcomes = events.submitEach(
                request.workspaceId(), items, item -> parser.parse(item.json(), now, Optional.empty()));
        return ApiResponse.json(200, WireJson.batchResults(outcomes));
    }

    /** One event of a batch as read: its JSON, or (an NDJSON line that is not JSON) the error saying why. */
    private sealed interface Item {
        JsonNode json();

        record Json(JsonNode node) implements Item {
            @Override
            public JsonNode json() {
                return node;
            }
        }

        record Broken(int line, TallyException error) implements Item {
            @Override
            public JsonNode json() {
                TallyError first = error.errors().get(0);
                throw new TallyException(TallyError.of(first.code(), "line " + line + ": " + first.message(), "body"));
            }
        }
    }

    /** The events of the body: a JSON array, or one JSON object per line. A bad line is rejected alone. */
    private static List<Item> items(ApiRequest request) {
        boolean ndjson = request.contentType()
                .map(type -> type.toLowerCase(Locale.ROOT).startsWith("application/x-ndjson"))
                .orElse(false);
        List<Item> items = new ArrayList<>();
        if (!ndjson) {
            JsonNode body = ApiRequest.readJson(request.body());
            if (!body.isArray()) {
                throw TallyException.invalid(
                        "body", "a batch is a JSON array of events (or NDJSON with Content-Type application/x-ndjson)");
            }
            body.forEach(node -> items.add(new Item.Json(node)));
            return items;
        }
        String text = new String(request.body(), StandardCharsets.UTF_8);
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                items.add(new Item.Json(ApiRequest.readJson(line.getBytes(StandardCharsets.UTF_8))));
            } catch (TallyException e) {
                items.add(new Item.Broken(lineNumber, e));
            }
        }
        return items;
    }
}
