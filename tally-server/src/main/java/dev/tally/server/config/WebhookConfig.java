package dev.tally.server.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How webhooks are delivered. {@code retrySchedule} holds the delays between attempts after the
 * first (so a notification gets {@code 1 + retrySchedule.size()} attempts); each delay gets up to
 * 20% jitter either way. {@code allowPrivate} lifts the SSRF guard: plain http and loopback, private
 * and link-local addresses become allowed, for internal receivers and tests. {@code saturatedRate}
 * is how many notifications a second are claimed while deliveries yield to ingest (the CPU
 * saturated and events arriving); 0 never yields.
 */
public record WebhookConfig(
        List<Duration> retrySchedule,
        Duration timeout,
        boolean allowPrivate,
        Duration disableAfter,
        int concurrencyPerEndpoint,
        Duration retention,
        int saturatedRate) {
    /** Standard Webhooks' schedule (after the first attempt), up to its second 10 h step: about 33 h in all. */
    public static final List<Duration> STANDARD_SCHEDULE = List.of(
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(2),
            Duration.ofHours(5),
            Duration.ofHours(10),
            Duration.ofHours(10));

    public static final WebhookConfig DEFAULT = new WebhookConfig(
            STANDARD_SCHEDULE, Duration.ofSeconds(15), false, Duration.ofDays(5), 16, Duration.ofDays(7), 100);

    public WebhookConfig {
        retrySchedule = List.copyOf(retrySchedule);
        requireNonNull(timeout, "timeout is null");
        requireNonNull(disableAfter, "disableAfter is null");
        requireNonNull(retention, "retention is null");
        if (retrySchedule.size() > 50 || retrySchedule.stream().anyMatch(d -> d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException("TALLY_WEBHOOK_RETRY_SCHEDULE must be at most 50 positive durations");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("TALLY_WEBHOOK_TIMEOUT must be between 0 and 5 minutes");
        }
        if (disableAfter.isNegative() || disableAfter.isZero()) {
            throw new IllegalArgumentException("TALLY_WEBHOOK_DISABLE_AFTER must be positive");
        }
        if (concurrencyPerEndpoint < 1 || concurrencyPerEndpoint > 256) {
            throw new IllegalArgumentException("TALLY_WEBHOOK_CONCURRENCY must be 1-256");
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("TALLY_WEBHOOK_RETENTION must be positive");
        }
        if (saturatedRate < 0 || saturatedRate > 1_000_000) {
            throw new IllegalArgumentException("TALLY_WEBHOOK_SATURATED_RATE must be 0-1000000 (0: never yield)");
        }
    }

    public WebhookConfig withRetrySchedule(List<Duration> schedule) {
        return new WebhookConfig(
                schedule, timeout, allowPrivate, disableAfter, concurrencyPerEndpoint, retention, saturatedRate);
    }

    public WebhookConfig withTimeout(Duration newTimeout) {
        return new WebhookConfig(
                retrySchedule,
                newTimeout,
                allowPrivate,
                disableAfter,
                concurrencyPerEndpoint,
                retention,
                saturatedRate);
    }

    public WebhookConfig withAllowPrivate(boolean allow) {
        return new WebhookConfig(
                retrySchedule, timeout, allow, disableAfter, concurrencyPerEndpoint, retention, saturatedRate);
    }

    public WebhookConfig withDisableAfter(Duration after) {
        return new WebhookConfig(
                retrySchedule, timeout, allowPrivate, after, concurrencyPerEndpoint, retention, saturatedRate);
    }

    public WebhookConfig withSaturatedRate(int rate) {
        return new WebhookConfig(
                retrySchedule, timeout, allowPrivate, disableAfter, concurrencyPerEndpoint, retention, rate);
    }

    /** Comma-separated durations such as {@code 1s,2s,5s} ({@code none} for no retries). */
    public static List<Duration> parseSchedule(String text) {
        String value = text.strip();
        if (value.equalsIgnoreCase("none")) {
            return List.of();
        }
        List<Duration> schedule = new ArrayList<>();
        for (String part : value.split(",")) {
            schedule.add(parseDuration("TALLY_WEBHOOK_RETRY_SCHEDULE", part));
        }
        return List.copyOf(schedule);
    }

    /** A duration such as {@code 500ms}, {@code 15s}, {@code 5m}, {@code 2h} or {@code 5d}. */
    public static Duration parseDuration(String setting, String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        int split = 0;
        while (split < value.length() && Character.isDigit(value.charAt(split))) {
            split++;
        }
        if (split == 0 || split > 9) {
            throw new IllegalArgumentException(
                    setting + ": '" + text + "' is not a duration such as 500ms, 15s, 5m, 2h or 5d");
        }
        long amount = Long.parseLong(value.substring(0, split));
        return switch (value.substring(split)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default ->
                throw new IllegalArgumentException(
                        setting + ": '" + text + "' is not a duration such as 500ms, 15s, 5m, 2h or 5d");
        };
    }
}
