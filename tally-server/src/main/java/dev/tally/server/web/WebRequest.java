package dev.tally.server.web;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A dashboard request as pages see it, free of Jetty: path parameters, query, form, and the session. */
public record WebRequest(
        String method,
        String path,
        Map<String, String> pathParameters,
        Map<String, List<String>> query,
        Map<String, List<String>> form,
        Optional<Session> session) {
    public WebRequest {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        pathParameters = Map.copyOf(pathParameters);
        query = Map.copyOf(query);
        form = Map.copyOf(form);
        requireNonNull(session, "session is null");
    }

    public Optional<String> queryParameter(String name) {
        return first(query, name);
    }

    public Optional<String> formParameter(String name) {
        return first(form, name);
    }

    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return value;
    }

    /** The session of a page that requires one (the handler refuses the request before otherwise). */
    public Session requireSession() {
        return session.orElseThrow(() -> new IllegalStateException("page without a session asked for it"));
    }

    private static Optional<String> first(Map<String, List<String>> values, String name) {
        List<String> found = values.get(name);
        return found == null || found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }
}
