package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.error.TallyException;
import dev.tally.job.BulkJob;
import dev.tally.service.BulkJobService;
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
        Optional<String> jobId = jobId(body.get("job"));
        BulkJob job = jobs.submit(request.workspaceId(), jobId, list);
        return ApiResponse.json(202, WireJson.job(job, request.baseUrl()));
    }

    ApiResponse get(ApiRequest request) {
        BulkJob job = jobs.find(request.workspaceId(), request.pathParameter("id"));
        return ApiResponse.json(200, WireJson.job(job, request.baseUrl()));
    }

    ApiResponse errors(ApiRequest request) {
        BulkJob job = jobs.find(request.workspaceId(), request.pathParameter("id"));
        return ApiResponse.json(200, WireJson.jobItems(job.failures()));
    }

    /** The job a list is added to, {@code {"job": {"id": …}}}; absent or null starts a new one. */
    private static Optional<String> jobId(JsonNode job) {
        if (job == null || job.isNull()) {
            return Optional.empty();
        }
        if (!job.isObject()) {
            throw TallyException.invalid("job", "job must be an object {\"id\": \"…\"}");
        }
        JsonNode id = job.get("id");
        if (id == null || id.isNull()) {
            return Optional.empty();
        }
        if (!id.isTextual()) {
            throw TallyException.invalid("job.id", "job.id must be a string");
        }
        return Optional.of(id.textValue());
    }
}
