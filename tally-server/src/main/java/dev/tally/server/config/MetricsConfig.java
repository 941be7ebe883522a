package dev.tally.server.config;

import java.util.OptionalInt;

/**
 * Where {@code /metrics} is served. Always on the API port behind the admin token; with {@code port}
 * also on a port of its own without a token, for a Prometheus that should not hold the admin token
 * (bind that port where only the scraper reaches it).
 */
public record MetricsConfig(OptionalInt port) {
    public static final MetricsConfig DEFAULT = new MetricsConfig(OptionalInt.empty());

    public MetricsConfig {
        if (port.isPresent() && (port.getAsInt() < 0 || port.getAsInt() > 65535)) {
            throw new IllegalArgumentException("the metrics port must be 0-65535, got " + port.getAsInt());
        }
    }

    /** Parses the flag: empty or {@code off} for none. */
    public static MetricsConfig parse(String port) {
        if (port == null || port.isBlank() || port.strip().equalsIgnoreCase("off")) {
            return DEFAULT;
        }
        try {
            return new MetricsConfig(OptionalInt.of(Integer.parseInt(port.strip())));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("TALLY_METRICS_PORT must be a port number or 'off', got " + port, e);
        }
    }
}
