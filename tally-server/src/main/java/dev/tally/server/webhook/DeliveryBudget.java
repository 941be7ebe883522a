package dev.tally.server.webhook;

import static java.util.Objects.requireNonNull;

import java.lang.management.ManagementFactory;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * How many notifications the dispatcher may claim now: deliveries yield to ingest. Sending a
 * notification (claim, body, two signatures, the HTTP exchange, the outcome's write) costs a few
 * times what storing its event did, so when the cores are saturated and events are arriving, every
 * delivery takes CPU from ingest: measured on 2 cores, one subscription for every event cut POST
 * /events to a quarter. So while the machine's CPU is at least {@link #SATURATED} busy and events
 * were stored since the last look, claims are limited to {@code saturatedRate} a second (a token
 * bucket holding at most one second's worth); otherwise they are not limited.
 *
 * <p>What this trades: during saturation notifications wait (their lag grows by the ingest rate
 * minus {@code saturatedRate} a second), and they are sent at full speed as soon as the cores have
 * room or ingest stops. Nothing is dropped: the outbox holds them. The wait is bounded: once the
 * notifications being claimed were due {@link #MAX_LAG} ago or more, deliveries stop yielding
 * (and share the cores with ingest as without a budget) until they have caught up below it. A CPU that is saturated by
 * deliveries alone (no events arriving) does not limit them; neither does one whose load is not
 * known. {@code saturatedRate} 0 turns yielding off.
 */
final class DeliveryBudget {
    /** The share of the machine's CPU from which it counts as saturated. */
    static final double SATURATED = 0.85;
    /** The longest deliveries lag behind while yielding: older due notifications are claimed at full speed. */
    static final long MAX_LAG_NANOS = 60_000_000_000L;

    /** How often the CPU load and the ingest counter are looked at. */
    static final long SAMPLE_NANOS = 200_000_000L;

    private static final long SECOND_NANOS = 1_000_000_000L;

    private final int saturatedRate;
    private final LongSupplier ingested;
    private final DoubleSupplier cpuLoad;
    private final LongSupplier nanoTime;

    /** Guarded by {@code this}. */
    private long sampledAt;

    private long ingestedAt;
    private boolean yielding;
    private double tokens;
    private long refilledAt;
    /** How long before their claim the last notifications claimed were due. */
    private long lagNanos;

    /**
     * @param saturatedRate notifications a second while yielding; 0 never yields
     * @param ingested events stored since the start (only its changes matter)
     * @param cpuLoad the machine's recent CPU load, 0 to 1 (negative when unknown)
     */
    DeliveryBudget(int saturatedRate, LongSupplier ingested, DoubleSupplier cpuLoad, LongSupplier nanoTime) {
        if (saturatedRate < 0) {
            throw new IllegalArgumentException("saturatedRate must be >= 0");
        }
        this.saturatedRate = saturatedRate;
        this.ingested = requireNonNull(ingested, "ingested is null");
        this.cpuLoad = requireNonNull(cpuLoad, "cpuLoad is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        long now = nanoTime.getAsLong();
        this.sampledAt = now - SAMPLE_NANOS; // the first claim looks
        this.refilledAt = now;
        this.ingestedAt = ingested.getAsLong();
        this.tokens = saturatedRate;
    }

    /** The machine's CPU load as the JVM reports it (cgroup-aware), or -1 where it cannot. */
    static DoubleSupplier systemCpuLoad() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os::getCpuLoad;
        }
        return () -> -1;
    }

    /** How many notifications may be claimed now: {@link Integer#MAX_VALUE} when not yielding. */
    synchronized int allowance() {
        long now = nanoTime.getAsLong();
        if (saturatedRate > 0 && now - sampledAt >= SAMPLE_NANOS) {
            long count = ingested.getAsLong();
            boolean saturated = cpuLoad.getAsDouble() >= SATURATED && count != ingestedAt && lagNanos < MAX_LAG_NANOS;
            if (saturated && !yielding) {
                tokens = saturatedRate; // a second's worth to start with
                refilledAt = now;
            }
            yielding = saturated;
            ingestedAt = count;
            sampledAt = now;
        }
        if (!yielding) {
            return Integer.MAX_VALUE;
        }
        tokens = Math.min(saturatedRate, tokens + (double) saturatedRate * (now - refilledAt) / SECOND_NANOS);
        refilledAt = now;
        return (int) tokens;
    }

    /**
     * Counts claims made against the allowance; {@code lagNanos} is how long before now the oldest
     * of them was due (0 when none was claimed).
     */
    synchronized void spent(int claimed, long lagNanos) {
        if (claimed > 0) {
            this.lagNanos = lagNanos;
        }
        if (yielding) {
            tokens = Math.max(0, tokens - claimed);
        }
    }

    /** Whether claims are limited now (as of the last look). */
    synchronized boolean yielding() {
        return yielding;
    }
}
