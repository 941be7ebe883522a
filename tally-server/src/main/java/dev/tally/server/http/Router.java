package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import dev.tally.error.ErrorCode;
import dev.tally.error.TallyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finds the route of a request: 404 when no template fits the path, 405 when only the method is wrong. */
public final class Router {
    private final List<Route> routes;
    private final List<List<String>> templates;

    public Router(List<Route> routes) {
        this.routes = List.copyOf(requireNonNull(routes, "routes is null"));
        this.templates =
                this.routes.stream().map(route -> segments(route.template())).toList();
    }

    public List<Route> routes() {
        return routes;
    }

    /** A route and the parameters its template captured. */
    public record Match(Route route, Map<String, String> pathParameters) {
        public Match {
            requireNonNull(route, "route is null");
            pathParameters = Map.copyOf(pathParameters);
        }
    }

    public Match route(String method, String path) {
        List<String> segments = segments(path);
        boolean pathKnown = false;
        for (int i = 0; i < routes.size(); i++) {
            Route route = routes.get(i);
            Optional<Map<String, String>> parameters = route.match(templates.get(i), segments);
            if (parameters.isPresent()) {
                if (route.method().equals(method)) {
                    return new Match(route, parameters.get());
                }
                pathKnown = true;
            }
        }
        if (pathKnown) {
            throw new TallyException(ErrorCode.METHOD_NOT_ALLOWED, method + " is not supported on " + path);
        }
        throw new TallyException(ErrorCode.NOT_FOUND, "No route for " + method + " " + path);
    }

    /**
     * The decoded segments of a path. Repeated and trailing slashes are dropped, because the
     * official Java client requests {@code //events} when its base URL ends in a slash.
     */
    public static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            if (!segment.isEmpty()) {
                try {
                    segments.add(ApiHandler.decodeSegment(segment));
                } catch (IllegalArgumentException e) {
                    throw TallyException.invalid("path", "the path is not valid URL encoding");
                }
            }
        }
        return segments;
    }
}
