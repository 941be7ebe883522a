package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers: status, extra headers, and a JSON body or none. */
@SuppressWarnings("ArrayRecordComponent") // the body is written to the socket as is, never compared
public record ApiResponse(int status, Map<String, String> headers, byte[] body) {
    private static final byte[] EMPTY = new byte[0];

    public ApiResponse {
        headers = Map.copyOf(headers);
        requireNonNull(body, "body is null");
    }

    public static ApiResponse json(int status, byte[] body) {
        return new ApiResponse(status, Map.of(), body);
    }

    public static ApiResponse empty(int status) {
        return new ApiResponse(status, Map.of(), EMPTY);
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(status, copy, body);
    }
}
