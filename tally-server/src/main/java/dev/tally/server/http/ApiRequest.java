package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.error.ErrorCode;
import dev.tally.error.TallyException;
import dev.tally.json.TallyJson;
import dev.tally.workspace.WorkspaceId;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request as handlers see it, free of Jetty: the route's path parameters, the query, the body
 * already read within the size limit, and who is calling.
 */
@SuppressWarnings("ArrayRecordComponent") // the body as read, never compared
public record ApiRequest(
        String method,
        String path,
        Map<String, String> pathParameters,
        Map<String, List<String>> query,
        byte[] body,
        Optional<String> contentType,
        String requestId,
        String baseUrl,
        Caller caller,
        Headers headers,
        String clientAddress) {
    /** The request's headers, read on demand (most handlers need none). */
    @FunctionalInterface
    public interface Headers {
        /** The first value of a header, by case-insensitive name. */
        Optional<String> first(String name);
    }

    public ApiRequest {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        pathParameters = Map.copyOf(pathParameters);
        query = Map.copyOf(query);
        requireNonNull(body, "body is null");
        requireNonNull(contentType, "contentType is null");
        requireNonNull(requestId, "requestId is null");
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(caller, "caller is null");
        requireNonNull(headers, "headers is null");
        requireNonNull(clientAddress, "clientAddress is null");
    }

    public Optional<String> header(String name) {
        return headers.first(name);
    }

    /** The caller's workspace, on routes that need a workspace token. */
    public WorkspaceId workspaceId() {
        if (caller instanceof Caller.Tenant tenant) {
            return tenant.workspaceId();
        }
        throw new IllegalStateException("route without a workspace caller asked for its workspace");
    }

    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return value;
    }

    /** A query parameter given at most once; repeating it is an error rather than a silent pick. */
    public Optional<String> queryParameter(String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw TallyException.invalid(
                    name, "query parameter " + name + " was given " + values.size() + " times; give it once");
        }
        return Optional.of(values.get(0));
    }

    /** The body as a JSON object; malformed JSON is a 400 that says where it broke. */
    public JsonNode jsonBody() {
        if (body.length == 0) {
            throw new TallyException(
                    ErrorCode.PARAMETER_INVALID, "the request body is empty; send a JSON object", "body");
        }
        JsonNode node = readJson(body);
        if (!node.isObject()) {
            throw new TallyException(ErrorCode.PARAMETER_INVALID, "the request body must be a JSON object", "body");
        }
        return node;
    }

    /** Parses JSON, turning any parse failure into a 400 naming the line and column. */
    public static JsonNode readJson(byte[] json) {
        try {
            JsonNode node = TallyJson.mapper().readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new TallyException(ErrorCode.PARAMETER_INVALID, "the request body is empty; send JSON", "body");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TallyException(ErrorCode.PARAMETER_INVALID, "invalid JSON: " + describe(e), "body");
        } catch (IOException e) {
            throw new TallyException(ErrorCode.PARAMETER_INVALID, "invalid JSON: " + e.getMessage(), "body");
        }
    }

    private static String describe(com.fasterxml.jackson.core.JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message.length() > 200) {
            message = message.substring(0, 200) + "…";
        }
        if (e.getLocation() != null) {
            return message + " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
        }
        return message;
    }
}
