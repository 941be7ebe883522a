package dev.tally.job;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.error.ErrorCode;
import dev.tally.error.TallyError;
import dev.tally.json.TallyJson;
import dev.tally.workspace.RandomIds;
import dev.tally.workspace.WorkspaceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A bulk job. Tally commits every list as it arrives, so each task is completed when the request
 * that carried it is answered; the job stays open for appends until {@code closingAt}.
 */
public record BulkJob(
        String id,
        WorkspaceId workspaceId,
        long createdAt,
        long updatedAt,
        long closingAt,
        List<Task> tasks,
        List<FailedItem> failures) {
    /** Intercom closes a job to appends 15 minutes after it was created. */
    public static final long OPEN_SECONDS = 15 * 60;

    public BulkJob {
        requireNonNull(id, "id is null");
        requireNonNull(workspaceId, "workspaceId is null");
        tasks = List.copyOf(tasks);
        failures = List.copyOf(failures);
    }

    /** One list of items, committed together. */
    public record Task(String id, long itemCount, long createdAt, long completedAt) {
        public Task {
            requireNonNull(id, "id is null");
        }
    }

    /** An item that failed, with the data as sent and why. */
    public record FailedItem(String id, JsonNode data, List<TallyError> errors, long updatedAt) {
        public FailedItem {
            requireNonNull(id, "id is null");
            requireNonNull(data, "data is null");
            errors = List.copyOf(errors);
        }
    }

    public static String newId() {
        return "job_" + RandomIds.alphanumeric(16);
    }

    public static String newTaskId() {
        return "task_" + RandomIds.alphanumeric(16);
    }

    public boolean isClosed(long now) {
        return now >= closingAt;
    }

    public long completedAt() {
        return tasks.stream().mapToLong(Task::completedAt).max().orElse(createdAt);
    }

    public BulkJob with(Task task, List<FailedItem> newFailures, long now) {
        List<Task> allTasks = new ArrayList<>(tasks);
        allTasks.add(task);
        List<FailedItem> allFailures = new ArrayList<>(failures);
        allFailures.addAll(newFailures);
        return new BulkJob(id, workspaceId, createdAt, now, closingAt, allTasks, allFailures);
    }

    public String toJson() {
        ObjectNode root = TallyJson.mapper().createObjectNode();
        root.put("id", id)
                .put("created_at", createdAt)
                .put("updated_at", updatedAt)
                .put("closing_at", closingAt);
        ArrayNode taskArray = root.putArray("tasks");
        for (Task task : tasks) {
            taskArray
                    .addObject()
                    .put("id", task.id())
                    .put("item_count", task.itemCount())
                    .put("created_at", task.createdAt())
                    .put("completed_at", task.completedAt());
        }
        ArrayNode failureArray = root.putArray("failures");
        for (FailedItem failure : failures) {
            ObjectNode item = failureArray.addObject().put("id", failure.id()).put("updated_at", failure.updatedAt());
            item.set("data", failure.data());
            ArrayNode errors = item.putArray("errors");
            for (TallyError error : failure.errors()) {
                ObjectNode e =
                        errors.addObject().put("code", error.code().name()).put("message", error.message());
                error.field().ifPresent(field -> e.put("field", field));
            }
        }
        return root.toString();
    }

    public static BulkJob fromJson(WorkspaceId workspaceId, String json) {
        JsonNode root;
        try {
            root = TallyJson.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("stored job is not JSON", e);
        }
        List<Task> tasks = new ArrayList<>();
        for (JsonNode task : root.get("tasks")) {
            tasks.add(new Task(
                    task.get("id").asText(),
                    task.get("item_count").asLong(),
                    task.get("created_at").asLong(),
                    task.get("completed_at").asLong()));
        }
        List<FailedItem> failures = new ArrayList<>();
        for (JsonNode item : root.get("failures")) {
            List<TallyError> errors = new ArrayList<>();
            for (JsonNode error : item.get("errors")) {
                errors.add(new TallyError(
                        ErrorCode.valueOf(error.get("code").asText()),
                        error.get("message").asText(),
                        Optional.ofNullable(error.get("field")).map(JsonNode::asText)));
            }
            failures.add(new FailedItem(
                    item.get("id").asText(),
                    item.get("data"),
                    errors,
                    item.get("updated_at").asLong()));
        }
        return new BulkJob(
                root.get("id").asText(),
                workspaceId,
                root.get("created_at").asLong(),
                root.get("updated_at").asLong(),
                root.get("closing_at").asLong(),
                tasks,
                failures);
    }
}
