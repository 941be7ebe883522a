package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import dev.tally.contact.ContactRef;
import dev.tally.contact.ContactRefParser;
import dev.tally.error.TallyException;
import dev.tally.event.ExportCursor;
import dev.tally.service.ExportService;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /events/export} (a Tally extension): a workspace's events as NDJSON in exactly the shape
 * {@code POST /events} and the batch endpoint take, so {@code tally import} reads it back unchanged.
 * All history, not just 90 days. Optionally one contact and a {@code from}/{@code to} range of
 * {@code created_at}. Pages of at most {@code limit} events; {@code X-Tally-Next-Cursor} continues.
 */
public final class ExportApi {
    public static final String NEXT_CURSOR_HEADER = "X-Tally-Next-Cursor";
    static final int DEFAULT_LIMIT = 5000;
    static final int MAX_LIMIT = 20000;
    private static final List<String> IDENTIFIERS = List.of("user_id", "intercom_user_id");

    private final ExportService export;

    public ExportApi(ExportService export) {
        this.export = requireNonNull(export, "export is null");
    }

    public List<Route> routes() {
        return List.of(new Route("GET", "/events/export", Access.READ, this::export));
    }

    ApiResponse export(ApiRequest request) {
        long to = longParameter(request, "to", Long.MAX_VALUE);
        int limit = (int) longParameter(request, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw TallyException.invalid("limit", "limit must be 1-" + MAX_LIMIT);
        }
        long from = longParameter(request, "from", 0);
        Optional<ContactRef> only = ContactRefParser.fromParameters(request::queryParameter, IDENTIFIERS)
                .map(ContactRefParser.Named::ref);
        Optional<ExportCursor> resume = request.queryParameter("cursor").map(ExportCursor::decode);
        ExportService.Page page =
                export.export(new ExportService.Query(request.workspaceId(), only, from, to, limit), resume);
        ApiResponse response = new ApiResponse(
                200, Map.of("Content-Type", "application/x-ndjson"), WireJson.exportLines(page.events()));
        return page.next()
                .map(next -> response.withHeader(NEXT_CURSOR_HEADER, next.encode()))
                .orElse(response);
    }

    private static long longParameter(ApiRequest request, String name, long fallback) {
        Optional<String> raw = request.queryParameter(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw.get());
            if (value < 0) {
                throw TallyException.invalid(name, name + " must not be negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw TallyException.invalid(name, name + " must be a whole number (unix seconds for from/to)");
        }
    }
}
