package dev.tally.server.http;

/**
 * Where {@link ApiHandler} records each request. Meters are resolved once per route at start, so the
 * request path does one identity-map lookup and one observation, and builds no labels.
 */
public interface RequestMetrics {
    /** Records requests of one route. */
    @FunctionalInterface
    interface RouteMeter {
        void record(int status, long nanos);
    }

    RequestMetrics NONE = (method, template) -> (status, nanos) -> {};

    /** The meter of a route's requests; {@code template} {@code "unmatched"} for requests no route took. */
    RouteMeter meter(String method, String template);
}
