package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.error.TallyException;
import dev.tally.job.BulkJob;
import dev.tally.json.TallyJson;
import dev.tally.service.BulkJobService;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Intercom's legacy bulk API: {@code POST /bulk/events}, {@code GET /jobs/{id}}, {@code GET /jobs/{id}/error}. */
public final class BulkApi {
    private final BulkJobService jobs;

    public BulkApi(BulkJobService jobs) {
        this.jobs = requireNonNull(jobs, "jobs is null");
    }

    public List<Route> routes() {
        return List.of(
                new Route("POST", "/bulk/events", Access.WRITE, this::submit),
                new Route("GET", "/jobs/{id}", Access.READ, this::get),
                new Route("GET", "/jobs/{id}/error", Access.READ, this::errors));
    }

    ApiResponse submit(ApiRequest request) {
        JsonNode body = request.jsonBody();
        JsonNode items = body.get("items");
        if (items == null || !items.isArray()) {
            throw TallyException.missing(
                    "items", "items must be a list of {\"method\":\"post\",\"data_type\":\"event\",\"data\":{…}}");
        }
        List<JsonNode> list = new ArrayList<>();
        items.forEach(list::add);
        Optional<String> jobId = body.path("job").path("id").isTextual()
                ? Optional.of(body.get("job").get("id").textValue())
                : Optional.empty();
        BulkJob job = jobs.submit(request.workspaceId(), jobId, list);
        return ApiResponse.json(202, WireJson.write(out -> writeJob(out, job, request.baseUrl())));
    }

    ApiResponse get(ApiRequest request) {
        BulkJob job = jobs.find(request.workspaceId(), request.pathParameter("id"));
        return ApiResponse.json(200, WireJson.write(out -> writeJob(out, job, request.baseUrl())));
    }

    ApiResponse errors(ApiRequest request) {
        BulkJob job = jobs.find(request.workspaceId(), request.pathParameter("id"));
        return ApiResponse.json(200, WireJson.write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "job_item.list");
            out.writeArrayFieldStart("items");
            for (BulkJob.FailedItem item : job.failures()) {
                out.writeStartObject();
                out.writeStringField("type", "job_item");
                out.writeStringField("id", item.id());
                out.writeNumberField("updated_at", item.updatedAt());
                out.writeStringField("method", "post");
                out.writeStringField("data_type", "event");
                out.writeFieldName("data");
                TallyJson.mapper().writeTree(out, item.data());
                out.writeObjectFieldStart("error");
                out.writeStringField("type", "error");
                out.writeStringField("code", item.errors().get(0).code().wireCode());
                out.writeStringField("message", item.errors().get(0).message());
                if (item.errors().get(0).field().isPresent()) {
                    out.writeStringField("field", item.errors().get(0).field().get());
                }
                out.writeEndObject();
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeObjectFieldStart("pages");
            out.writeNullField("next");
            out.writeEndObject();
            out.writeEndObject();
        }));
    }

    private static void writeJob(JsonGenerator out, BulkJob job, String baseUrl) throws IOException {
        String self = baseUrl + "/jobs/" + Router.encodeSegment(job.id());
        out.writeStartObject();
        out.writeStringField("type", "job");
        out.writeStringField("id", job.id());
        out.writeStringField("app_id", job.workspaceId().value());
        out.writeStringField("name", "api_bulk_job");
        out.writeStringField("state", "completed");
        out.writeNumberField("created_at", job.createdAt());
        out.writeNumberField("updated_at", job.updatedAt());
        out.writeNumberField("closing_at", job.closingAt());
        out.writeNumberField("completed_at", job.completedAt());
        out.writeObjectFieldStart("links");
        out.writeStringField("self", self);
        out.writeStringField("error", self + "/error");
        out.writeEndObject();
        out.writeArrayFieldStart("tasks");
        for (BulkJob.Task task : job.tasks()) {
            out.writeStartObject();
            out.writeStringField("type", "job_task");
            out.writeStringField("id", task.id());
            out.writeNumberField("item_count", task.itemCount());
            out.writeStringField("state", "completed");
            out.writeNumberField("created_at", task.createdAt());
            out.writeNumberField("started_at", task.createdAt());
            out.writeNumberField("completed_at", task.completedAt());
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeEndObject();
    }
}
