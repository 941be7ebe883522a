package dev.tally.server.config;

import java.util.Locale;

/**
 * Limits of the browser endpoint ({@code POST /browser/{app_id}/events}), apart from the API's:
 * calls per minute per app id, and per client address, each in 10-second windows like the API's
 * limit. A page's script batches its events, so a browser makes a few calls a minute; the address
 * limit stops one client from spending an app's whole budget. 0 switches a limit off.
 */
public record BrowserConfig(long perAppPerMinute, long perAddressPerMinute) {
    public static final BrowserConfig DEFAULTS = new BrowserConfig(60_000, 600);

    public BrowserConfig {
        if (perAppPerMinute < 0 || perAddressPerMinute < 0) {
            throw new IllegalArgumentException("browser rate limits must be >= 0");
        }
    }

    /** A limit as a flag or variable gives it: calls per minute, or {@code off}. */
    public static long parseLimit(String name, String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("off")) {
            return 0;
        }
        try {
            long limit = Long.parseLong(value);
            if (limit < 0) {
                throw new IllegalArgumentException(name + " must be >= 0 or 'off', got '" + text + "'");
            }
            return limit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be calls per minute or 'off', got '" + text + "'", e);
        }
    }
}
