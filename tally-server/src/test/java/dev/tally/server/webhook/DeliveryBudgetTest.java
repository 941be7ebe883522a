package dev.tally.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When deliveries yield to ingest, and how many they may claim then: on a hand-moved clock. */
class DeliveryBudgetTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * MS);
    private final AtomicLong waiting = new AtomicLong();
    private double cpu;

    private DeliveryBudget budget(int rate) {
        return new DeliveryBudget(rate, waiting::get, () -> cpu, now::get);
    }

    /** The machine as the next look will see it: CPU load, and events waiting for their commit. */
    private void machine(double load, long queued) {
        cpu = load;
        waiting.set(queued);
        now.addAndGet(DeliveryBudget.SAMPLE_NANOS);
    }

    @Test
    void aSaturatedCpuWithEventsQueueingLimitsClaimsToTheRate() {
        DeliveryBudget budget = budget(100);
        machine(0.97, 40);

        assertThat(budget.allowance()).isEqualTo(100);
        assertThat(budget.yielding()).isTrue();
        budget.spent(100, 0);
        assertThat(budget.allowance()).isZero();

        now.addAndGet(300 * MS); // three tenths of a second: thirty more
        assertThat(budget.allowance()).isEqualTo(30);
        budget.spent(4, 0);
        assertThat(budget.allowance()).isEqualTo(26);
    }

    /** A claim round costs reads whatever it takes: while yielding, rounds take a quarter second's worth. */
    @Test
    void whileYieldingClaimsComeInBurstsOfAQuarterSecond() {
        DeliveryBudget budget = budget(100);
        machine(0.97, 40);
        budget.spent(budget.allowance(), 0);

        now.addAndGet(100 * MS); // ten accrued: not yet a burst
        assertThat(budget.allowance()).isZero();
        now.addAndGet(100 * MS);
        assertThat(budget.allowance()).isZero();
        now.addAndGet(50 * MS); // twenty-five: a quarter second's worth
        assertThat(budget.allowance()).isEqualTo(25);
        budget.spent(20, 0);
        assertThat(budget.allowance()).isZero(); // five left wait for the next burst

        // A slow rate still claims one at a time, as soon as one has accrued.
        DeliveryBudget slow = budget(2);
        machine(0.97, 40);
        slow.spent(slow.allowance(), 0);
        now.addAndGet(400 * MS);
        assertThat(slow.allowance()).isZero();
        now.addAndGet(200 * MS);
        assertThat(slow.allowance()).isEqualTo(1);
    }

    @Test
    void theBucketHoldsAtMostOneSecondOfClaims() {
        DeliveryBudget budget = budget(50);
        machine(1.0, 40);
        budget.allowance();
        budget.spent(50, 0);

        now.addAndGet(5_000 * MS);
        assertThat(budget.allowance()).isEqualTo(50);
    }

    @Test
    void anUnsaturatedOrUnknownCpuIsNotLimited() {
        DeliveryBudget budget = budget(100);
        machine(0.60, 64);
        assertThat(budget.allowance()).isEqualTo(Integer.MAX_VALUE);
        assertThat(budget.yielding()).isFalse();

        machine(-1, 64);
        assertThat(budget.allowance()).isEqualTo(Integer.MAX_VALUE);
    }

    /** A saturated machine's load reading wavers: a look a little under the threshold does not end yielding. */
    @Test
    void onceYieldingACpuReadingALittleUnderTheThresholdStillCounts() {
        DeliveryBudget budget = budget(100);
        machine(0.80, 40); // not yet yielding: 0.80 is not saturated
        assertThat(budget.allowance()).isEqualTo(Integer.MAX_VALUE);

        machine(0.97, 40);
        budget.spent(budget.allowance(), 0);
        machine(0.80, 40); // yielding: 0.80 still is
        assertThat(budget.allowance()).isLessThan(Integer.MAX_VALUE);
        assertThat(budget.yielding()).isTrue();

        machine(0.65, 40); // well under: the cores have room
        assertThat(budget.allowance()).isEqualTo(Integer.MAX_VALUE);
        assertThat(budget.yielding()).isFalse();
    }

    @Test
    void aSaturatedCpuWhileEventsAreCommittedAsTheyArriveIsNotLimited() {
        DeliveryBudget budget = budget(100);
        machine(0.99, 2); // a moderate rate: one or two events in their commit at a time

        assertThat(budget.allowance()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void theQueueIsAveragedOverTheLookNotTakenAtOneInstant() {
        DeliveryBudget budget = budget(100);
        machine(0.99, 0);
        budget.allowance(); // a look: not queueing
        waiting.set(30); // read by the next claims...
        now.addAndGet(DeliveryBudget.SAMPLE_NANOS / 2);
        budget.allowance();
        waiting.set(0);
        now.addAndGet(DeliveryBudget.SAMPLE_NANOS / 2);
        // ...averaged with this one: (30 + 0) / 2 = 15 waiting on average
        assertThat(budget.allowance()).isEqualTo(100);
    }

    @Test
    void claimsGoAtFullSpeedAgainOnceIngestStopsQueueing() {
        DeliveryBudget budget = budget(100);
        machine(0.99, 64);
        budget.spent(budget.allowance(), 0);
        assertThat(budget.allowance()).isZero();

        machine(0.99, 0); // the CPU is still busy (with deliveries); events are not queueing
        budget.allowance(); // a look that still averages in the claim above, taken while queueing
        machine(0.99, 0);
        assertThat(budget.allowance()).isEqualTo(Integer.MAX_VALUE);
        assertThat(budget.yielding()).isFalse();
    }

    @Test
    void deliveriesStopYieldingOnceTheyLagTheLongestAllowed() {
        DeliveryBudget budget = budget(100);
        machine(0.99, 64);
        assertThat(budget.allowance()).isEqualTo(100);
        budget.spent(3, DeliveryBudget.MAX_LAG_NANOS - 1);
        machine(0.99, 64);
        assertThat(budget.allowance()).isLessThan(Integer.MAX_VALUE);

        budget.spent(3, DeliveryBudget.MAX_LAG_NANOS); // the oldest claimed had waited a minute
        machine(0.99, 64);
        assertThat(budget.allowance()).isEqualTo(Integer.MAX_VALUE);
        assertThat(budget.yielding()).isFalse();

        budget.spent(16, 5_000 * MS); // caught up: yields again while still saturated
        machine(0.99, 64);
        assertThat(budget.allowance()).isEqualTo(100);
    }

    @Test
    void rateZeroNeverYields() {
        DeliveryBudget budget = budget(0);
        machine(1.0, 64);

        assertThat(budget.allowance()).isEqualTo(Integer.MAX_VALUE);
        assertThat(budget.yielding()).isFalse();
    }
}
