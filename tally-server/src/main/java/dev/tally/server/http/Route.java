package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A method and path template ({@code /contacts/{id}}) with the access it needs and its handler. */
public record Route(String method, String template, Access access, Handler handler, boolean batchBody) {
    /** Handles a matched request. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request);
    }

    public Route(String method, String template, Access access, Handler handler) {
        this(method, template, access, handler, false);
    }

    /** This route with the larger batch body limit. */
    public Route withBatchBody() {
        return new Route(method, template, access, handler, true);
    }

    public Route {
        requireNonNull(method, "method is null");
        requireNonNull(template, "template is null");
        requireNonNull(access, "access is null");
        requireNonNull(handler, "handler is null");
    }

    /** The path parameters if {@code pathSegments} fit this template, split once into {@code templateSegments}. */
    Optional<Map<String, String>> match(List<String> templateSegments, List<String> pathSegments) {
        return matchTemplate(templateSegments, pathSegments);
    }

    /**
     * The parameters ({@code {name}} segments) a path's segments give a template's, if they fit; the
     * dashboard's HTML routes match the same way.
     */
    public static Optional<Map<String, String>> matchTemplate(
            List<String> templateSegments, List<String> pathSegments) {
        if (templateSegments.size() != pathSegments.size()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new java.util.HashMap<>();
        for (int i = 0; i < templateSegments.size(); i++) {
            String expected = templateSegments.get(i);
            String actual = pathSegments.get(i);
            if (expected.startsWith("{") && expected.endsWith("}")) {
                if (actual.isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(expected.substring(1, expected.length() - 1), actual);
            } else if (!expected.equals(actual)) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }
}
