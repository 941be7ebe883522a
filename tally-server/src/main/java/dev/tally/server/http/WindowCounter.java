package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls per key in fixed windows, for limits keyed by something a caller chooses freely (a client
 * address): when a window ends its whole map is dropped, so the memory held is bounded by the keys
 * seen in one window, not by every key ever seen.
 */
final class WindowCounter<K> {
    private final Clock clock;
    private final long windowMillis;
    private volatile Window<K> current;

    WindowCounter(Clock clock, Duration window) {
        this.clock = requireNonNull(clock, "clock is null");
        this.windowMillis = window.toMillis();
        this.current = new Window<>(Long.MIN_VALUE);
    }

    private record Window<K>(long start, ConcurrentHashMap<K, AtomicLong> counts) {
        Window(long start) {
            this(start, new ConcurrentHashMap<>());
        }
    }

    /** What a call left: whether it went over {@code allowed}, and the unix second the window resets. */
    record Count(boolean exceeded, long resetEpochSeconds) {}

    /** Counts one call of {@code key}; {@code allowed} is the calls a window admits. */
    Count take(K key, long allowed) {
        long now = clock.millis();
        long start = now - Math.floorMod(now, windowMillis);
        Window<K> window = current;
        if (window.start() != start) {
            synchronized (this) {
                window = current;
                if (window.start() != start) {
                    window = new Window<>(start);
                    current = window;
                }
            }
        }
        long used = window.counts().computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        return new Count(used > allowed, (start + windowMillis + 999) / 1000);
    }

    /** Calls admitted per window for a per-minute limit: the minute's share, at least one. */
    long perWindow(long perMinute) {
        long windowsPerMinute = Math.max(1, 60_000 / windowMillis);
        return Math.max(1, (perMinute + windowsPerMinute - 1) / windowsPerMinute);
    }
}
