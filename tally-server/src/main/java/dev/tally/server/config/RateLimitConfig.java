package dev.tally.server.config;

import java.time.Duration;

/**
 * The server-wide default rate limit per workspace, as Intercom does it: calls per minute,
 * enforced in 10-second windows. {@code perMinute == 0} switches limits off.
 */
public record RateLimitConfig(long perMinute, Duration window) {
    public static final RateLimitConfig DEFAULT = new RateLimitConfig(10_000, Duration.ofSeconds(10));
    public static final RateLimitConfig OFF = new RateLimitConfig(0, Duration.ofSeconds(10));

    public RateLimitConfig {
        if (perMinute < 0) {
            throw new IllegalArgumentException("rate limit must be >= 0");
        }
        if (window.isNegative() || window.isZero() || window.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("rate limit window must be between 0 and 60 seconds");
        }
    }

    public boolean enabled() {
        return perMinute > 0;
    }

    /** {@code TALLY_RATE_LIMIT}: a number of calls per minute, or {@code off}. */
    public static RateLimitConfig parse(String text) {
        String value = text.strip();
        if (value.equalsIgnoreCase("off") || value.equals("0")) {
            return OFF;
        }
        try {
            return new RateLimitConfig(Long.parseLong(value), DEFAULT.window());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "TALLY_RATE_LIMIT must be calls per minute or 'off', got '" + text + "'", e);
        }
    }
}
