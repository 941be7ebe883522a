package dev.tally.server.webhook;

import static java.util.Objects.requireNonNull;

import java.lang.management.ManagementFactory;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * How many notifications the dispatcher may claim now: deliveries yield to ingest. Sending a
 * notification (claim, body, two signatures, the HTTP exchange, the outcome's write) costs a few
 * times the CPU that storing its event did, so when the cores are saturated and events queue for
 * their commit, every delivery takes CPU from ingest: measured on 2 cores, one subscription for
 * every event cut POST /events to a quarter. So while the machine's CPU is at least {@link
 * #SATURATED} busy and on average at least {@link #QUEUED} events were waiting for their commit
 * over the last look, claims are limited to {@code saturatedRate} a second (a token bucket holding
 * at most one second's worth); otherwise they are not limited. Once yielding, a CPU at least {@link
 * #STILL_SATURATED} busy still counts (a saturated machine's load reading wavers around the
 * threshold).
 *
 * <p>Both conditions, because either alone says too little: a CPU saturated by deliveries while
 * events trickle in (each committed as soon as it arrives) is no reason to hold notifications
 * back, and events queueing on a disk's syncs while the CPU has room gain nothing from it.
 *
 * <p>What this trades: during saturation notifications wait (their lag grows by the ingest rate
 * minus {@code saturatedRate} a second), and they are sent at full speed as soon as the cores have
 * room or ingest stops queueing. Nothing is dropped: the outbox holds them. The wait is bounded:
 * once the notifications being claimed were due {@link #MAX_LAG_NANOS} ago or more, deliveries
 * stop yielding (and share the cores with ingest as without a budget) until they have caught up
 * below it. A CPU load that is not known never yields. {@code saturatedRate} 0 turns yielding off.
 *
 * <p>While yielding, claims come in bursts of {@link #BURST_NANOS} worth of the rate: a claim round
 * costs reads of the outbox whatever it takes, and the poller looks every 25 ms, so 40 rounds a
 * second of two or three notifications each cost ingest more than the notifications themselves.
 */
final class DeliveryBudget {
    /** The share of the machine's CPU from which it counts as saturated. */
    static final double SATURATED = 0.85;
    /**
     * While yielding, the share from which it still counts as saturated. A machine saturated by a
     * load generator and Tally read 0.82 to 1.00 from one look to the next: with one threshold,
     * each look under 0.85 let deliveries go at full speed until the next (measured: 330 to 1,500 a
     * second instead of 100 over a saturated phase, 2 to 5 µs of CPU per POST instead of 0.7).
     */
    static final double STILL_SATURATED = 0.70;
    /** Events waiting for their commit, on average over a look, from which ingest counts as queueing. */
    static final double QUEUED = 8;
    /** The longest deliveries lag behind while yielding: older due notifications are claimed at full speed. */
    static final long MAX_LAG_NANOS = 60_000_000_000L;

    /** While yielding, claims wait until this much of the rate has accrued, then take it at once. */
    static final long BURST_NANOS = 250_000_000L;

    /** How often the CPU load is looked at (and the queue's average taken). */
    static final long SAMPLE_NANOS = 200_000_000L;

    private static final long SECOND_NANOS = 1_000_000_000L;

    private final int saturatedRate;
    /** The tokens a claim waits for while yielding: {@link #BURST_NANOS} of the rate, at least one. */
    private final double burst;

    private final LongSupplier waiting;
    private final DoubleSupplier cpuLoad;
    private final LongSupplier nanoTime;

    /** Guarded by {@code this}. */
    private long sampledAt;

    private long waitingSum;
    private int waitingReads;
    private boolean yielding;
    private double tokens;
    private long refilledAt;
    /** How long before their claim the last notifications claimed were due. */
    private long lagNanos;

    /**
     * @param saturatedRate notifications a second while yielding; 0 never yields
     * @param waiting events handed to the store and not yet committed, now (read at every claim)
     * @param cpuLoad the machine's recent CPU load, 0 to 1 (negative when unknown)
     */
    DeliveryBudget(int saturatedRate, LongSupplier waiting, DoubleSupplier cpuLoad, LongSupplier nanoTime) {
        if (saturatedRate < 0) {
            throw new IllegalArgumentException("saturatedRate must be >= 0");
        }
        this.saturatedRate = saturatedRate;
        this.burst = Math.max(1, (double) saturatedRate * BURST_NANOS / SECOND_NANOS);
        this.waiting = requireNonNull(waiting, "waiting is null");
        this.cpuLoad = requireNonNull(cpuLoad, "cpuLoad is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        long now = nanoTime.getAsLong();
        this.sampledAt = now - SAMPLE_NANOS; // the first claim looks
        this.refilledAt = now;
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
        if (saturatedRate == 0) {
            return Integer.MAX_VALUE;
        }
        long now = nanoTime.getAsLong();
        waitingSum += waiting.getAsLong();
        waitingReads++;
        if (now - sampledAt >= SAMPLE_NANOS) {
            boolean saturated = cpuLoad.getAsDouble() >= (yielding ? STILL_SATURATED : SATURATED)
                    && (double) waitingSum / waitingReads >= QUEUED
                    && lagNanos < MAX_LAG_NANOS;
            if (saturated && !yielding) {
                tokens = saturatedRate; // a second's worth to start with
                refilledAt = now;
            }
            yielding = saturated;
            waitingSum = 0;
            waitingReads = 0;
            sampledAt = now;
        }
        if (!yielding) {
            return Integer.MAX_VALUE;
        }
        tokens = Math.min(saturatedRate, tokens + (double) saturatedRate * (now - refilledAt) / SECOND_NANOS);
        refilledAt = now;
        return tokens >= burst ? (int) tokens : 0;
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
