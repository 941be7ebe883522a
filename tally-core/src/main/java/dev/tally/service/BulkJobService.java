package dev.tally.service;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.error.ErrorCode;
import dev.tally.error.TallyError;
import dev.tally.error.TallyException;
import dev.tally.event.EventOutcome;
import dev.tally.event.EventSubmissionParser;
import dev.tally.job.BulkJob;
import dev.tally.storage.TallyStore;
import dev.tally.workspace.WorkspaceId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /bulk/events}: every item of a list is committed in one commit before the answer;
 * one bad item fails alone and is kept, with its error, for {@code GET /jobs/{id}/error};
 * duplicates are ignored.
 */
public final class BulkJobService {
    /** Most items one list may carry, as Intercom documents for its bulk API. */
    public static final int MAX_ITEMS = 100;

    private static final String KIND = "bulk_job";

    private final TallyStore store;
    private final EventService events;
    private final EventSubmissionParser parser;
    private final Clock clock;

    public BulkJobService(TallyStore store, EventService events, EventSubmissionParser parser, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.events = requireNonNull(events, "events is null");
        this.parser = requireNonNull(parser, "parser is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public BulkJob submit(WorkspaceId workspaceId, Optional<String> jobId, List<JsonNode> items) {
        if (items.isEmpty() || items.size() > MAX_ITEMS) {
            throw TallyException.invalid("items", "items must hold 1-" + MAX_ITEMS + " entries, got " + items.size());
        }
        Instant now = clock.instant();
        long seconds = now.getEpochSecond();
        BulkJob job = jobId.map(id -> find(workspaceId, id))
                .orElseGet(() -> new BulkJob(
                        BulkJob.newId(),
                        workspaceId,
                        seconds,
                        seconds,
                        seconds + BulkJob.OPEN_SECONDS,
                        List.of(),
                        List.of()));
        if (job.isClosed(seconds)) {
            throw TallyException.invalid("job.id", "job " + job.id() + " is closed to new items; start a new job");
        }

        List<EventOutcome> outcomes = events.submitEach(workspaceId, items, item -> {
            checkItem(item);
            return parser.parse(item.get("data"), now, Optional.empty());
        });
        List<BulkJob.FailedItem> failures = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) instanceof EventOutcome.Rejected rejected) {
                JsonNode item = items.get(i);
                JsonNode data = item.path("data");
                failures.add(failed(data.isObject() ? data : item, rejected.errors(), seconds));
            }
        }
        BulkJob updated =
                job.with(new BulkJob.Task(BulkJob.newTaskId(), items.size(), seconds, seconds), failures, seconds);
        store.putDocument(workspaceId, KIND, updated.id(), updated.toJson());
        return updated;
    }

    public BulkJob find(WorkspaceId workspaceId, String jobId) {
        return store.findDocument(workspaceId, KIND, jobId)
                .map(json -> BulkJob.fromJson(workspaceId, json))
                .orElseThrow(() -> new TallyException(ErrorCode.NOT_FOUND, "No such job[" + jobId + "]", "id"));
    }

    private static void checkItem(JsonNode item) {
        if (!item.isObject()) {
            throw TallyException.invalid("items", "each item must be an object {method, data_type, data}");
        }
        if (!"post".equals(item.path("method").asText())) {
            throw TallyException.invalid("method", "method must be \"post\"");
        }
        if (!"event".equals(item.path("data_type").asText())) {
            throw TallyException.invalid("data_type", "data_type must be \"event\"");
        }
        if (!item.path("data").isObject()) {
            throw TallyException.missing("data", "data must be the event object");
        }
    }

    private static BulkJob.FailedItem failed(JsonNode data, List<TallyError> errors, long now) {
        return new BulkJob.FailedItem(
                "item_" + dev.tally.workspace.RandomIds.alphanumeric(16), data.deepCopy(), errors, now);
    }
}
