package dev.tally.server.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long a client may take to send its request, after Apache's {@code mod_reqtimeout}: the
 * headers must be complete within {@code header} of the request's first byte (or of the connection's
 * opening), and the body must arrive at {@code minBodyBytesPerSecond} on average once {@code
 * bodyGrace} has passed. A client slower than either is cut off. Without these a client trickling one
 * byte every half second keeps its connection forever, because the idle timeout never fires.
 */
public record ClientTimeouts(Duration header, Duration bodyGrace, long minBodyBytesPerSecond) {
    /** {@code mod_reqtimeout}'s defaults: header 20 s, body 20 s and then at least 500 bytes/s. */
    public static final ClientTimeouts DEFAULT =
            new ClientTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(20), 500);

    public ClientTimeouts {
        requireNonNull(header, "header is null");
        requireNonNull(bodyGrace, "bodyGrace is null");
        if (header.isNegative() || header.isZero()) {
            throw new IllegalArgumentException("the header timeout must be positive, got " + header);
        }
        if (bodyGrace.isNegative()) {
            throw new IllegalArgumentException("the body timeout must not be negative, got " + bodyGrace);
        }
        if (minBodyBytesPerSecond < 0) {
            throw new IllegalArgumentException(
                    "the minimum body rate must not be negative, got " + minBodyBytesPerSecond);
        }
    }
}
