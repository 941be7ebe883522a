package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import dev.tally.error.ErrorCode;
import dev.tally.error.TallyError;
import dev.tally.server.config.RateLimitConfig;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Intercom's rate limit: a number of calls per minute per workspace, enforced in 10-second windows,
 * so a workspace may spend a sixth of its minute in each window. Every call counts, duplicates and
 * errors included. Fixed windows keep the hot path to one map lookup and one atomic increment.
 *
 * <p>Counters live in this process: with several nodes behind a load balancer, each node enforces
 * the limit on its own share of the traffic (see docs/scaling.md).
 */
public final class RateLimitFilter implements ApiFilter {
    public static final String LIMIT = "X-RateLimit-Limit";
    public static final String REMAINING = "X-RateLimit-Remaining";
    public static final String RESET = "X-RateLimit-Reset";

    private final RateLimitConfig config;
    private final Clock clock;
    private final long windowMillis;
    private final Map<WorkspaceId, Window> windows = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.LongAdder refusals = new java.util.concurrent.atomic.LongAdder();

    public RateLimitFilter(RateLimitConfig config, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.windowMillis = config.window().toMillis();
    }

    /** Calls refused with 429 since the start, for the metrics. */
    public long refusals() {
        return refusals.sum();
    }

    /** One workspace's count in the current window. */
    private static final class Window {
        final long start;
        final AtomicLong used = new AtomicLong();

        Window(long start) {
            this.start = start;
        }
    }

    /** What a call left: the limit, the calls remaining in this window, and when it resets. */
    record Quota(long perMinute, long remaining, long resetEpochSeconds, boolean exceeded) {}

    @Override
    public ApiResponse filter(ApiRequest request, Chain chain) {
        if (!(request.caller() instanceof Caller.Tenant tenant)) {
            return chain.proceed(request);
        }
        long perMinute = perMinute(tenant.workspace());
        if (perMinute == 0) {
            return chain.proceed(request);
        }
        Quota quota = take(tenant.workspaceId(), perMinute);
        ApiResponse response;
        if (quota.exceeded()) {
            refusals.increment();
            long retryAfter = Math.max(1, quota.resetEpochSeconds() - clock.millis() / 1000);
            response = ApiResponse.json(
                            429,
                            WireJson.errorList(
                                    request.requestId(),
                                    List.of(TallyError.of(
                                            ErrorCode.RATE_LIMIT_EXCEEDED,
                                            "Rate limit of " + perMinute + " calls per minute exceeded; retry after "
                                                    + retryAfter + "s"))))
                    .withHeader("Retry-After", Long.toString(retryAfter));
        } else {
            response = chain.proceed(request);
        }
        return response.withHeader(LIMIT, Long.toString(quota.perMinute()))
                .withHeader(REMAINING, Long.toString(quota.remaining()))
                .withHeader(RESET, Long.toString(quota.resetEpochSeconds()));
    }

    /** Errors thrown by handlers bypass {@link #filter}'s return; add the headers to those too. */
    @Override
    public ApiResponse decorate(Optional<Caller> caller, ApiResponse response) {
        if (response.headers().containsKey(LIMIT)
                || caller.isEmpty()
                || !(caller.get() instanceof Caller.Tenant tenant)) {
            return response;
        }
        long perMinute = perMinute(tenant.workspace());
        if (perMinute == 0) {
            return response;
        }
        Quota quota = peek(tenant.workspaceId(), perMinute);
        return response.withHeader(LIMIT, Long.toString(quota.perMinute()))
                .withHeader(REMAINING, Long.toString(quota.remaining()))
                .withHeader(RESET, Long.toString(quota.resetEpochSeconds()));
    }

    private long perMinute(Workspace workspace) {
        return workspace.rateLimitPerMinute().orElse(config.perMinute());
    }

    /** Calls allowed per window: the minute's limit spread over its windows, at least one. */
    private long perWindow(long perMinute) {
        long windowsPerMinute = Math.max(1, 60_000 / windowMillis);
        return Math.max(1, (perMinute + windowsPerMinute - 1) / windowsPerMinute);
    }

    private Window current(WorkspaceId workspace) {
        long now = clock.millis();
        long start = now - Math.floorMod(now, windowMillis);
        return windows.compute(
                workspace, (id, window) -> window == null || window.start != start ? new Window(start) : window);
    }

    Quota take(WorkspaceId workspace, long perMinute) {
        Window window = current(workspace);
        long allowed = perWindow(perMinute);
        long used = window.used.incrementAndGet();
        long reset = (window.start + windowMillis + 999) / 1000;
        return new Quota(perMinute, Math.max(0, allowed - used), reset, used > allowed);
    }

    private Quota peek(WorkspaceId workspace, long perMinute) {
        Window window = current(workspace);
        long allowed = perWindow(perMinute);
        long reset = (window.start + windowMillis + 999) / 1000;
        return new Quota(perMinute, Math.max(0, allowed - window.used.get()), reset, false);
    }
}
