package dev.tally.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When deliveries yield to ingest, and how many they may claim then: on a hand-moved clock. */
class DeliveryBudgetTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * MS);
    private final AtomicLong stored = new AtomicLong();
    private double cpu;

    private DeliveryBudget budget(int rate) {
        return new DeliveryBudget(rate, stored::get, () -> cpu, now::get);
    }

    /** Moves time past one sample; events are stored meanwhile if {@code ingesting}. */
    private void sample(boolean ingesting) {
        if (ingesting) {
            stored.addAndGet(500);
        }
        now.addAndGet(DeliveryBudget.SAMPLE_NANOS);
    }

    @Test
    void aSaturatedCpuWithEventsArrivingLimitsClaimsToTheRate() {
        DeliveryBudget budget = budget(100);
        cpu = 0.97;
        sample(true);

        assertThat(budget.allowance()).isEqualTo(100);
        assertThat(budget.yielding()).isTrue();
        budget.spent(100, 0);
        assertThat(budget.allowance()).isZero();

        now.addAndGet(100 * MS); // a tenth of a second: ten more
        assertThat(budget.allowance()).isEqualTo(10);
        budget.spent(4, 0);
        assertThat(budget.allowance()).isEqualTo(6);
    }

    @Test
    void theBucketHoldsAtMostOneSecondOfClaims() {
        DeliveryBudget budget = budget(50);
        cpu = 1.0;
        sample(true);
        budget.spent(50, 0);

        now.addAndGet(5_000 * MS);
        stored.addAndGet(1); // still ingesting at the next look
        assertThat(budget.allowance()).isEqualTo(50);
    }

    @Test
    void anIdleOrUnsaturatedMachineIsNotLimited() {
        DeliveryBudget budget = budget(100);
        cpu = 0.60;
        sample(true);
        assertThat(budget.allowance()).isEqualTo(Integer.MAX_VALUE);
        assertThat(budget.yielding()).isFalse();

        cpu = -1; // load unknown
        sample(true);
        assertThat(budget.allowance()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void deliveriesAloneSaturatingTheCpuAreNotLimited() {
        DeliveryBudget budget = budget(100);
        cpu = 0.99;
        sample(false);

        assertThat(budget.allowance()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void claimsGoAtFullSpeedAgainOnceIngestStops() {
        DeliveryBudget budget = budget(100);
        cpu = 0.99;
        sample(true);
        budget.spent(budget.allowance(), 0);
        assertThat(budget.allowance()).isZero();

        sample(false); // events stopped arriving; the CPU is still busy (with deliveries)
        assertThat(budget.allowance()).isEqualTo(Integer.MAX_VALUE);
        assertThat(budget.yielding()).isFalse();
    }

    @Test
    void theStateIsLookedAtOncePerSampleNotAtEveryClaim() {
        DeliveryBudget budget = budget(100);
        cpu = 0.99;
        sample(true);
        assertThat(budget.yielding()).isFalse(); // not looked yet
        budget.allowance();
        cpu = 0.1;
        now.addAndGet(DeliveryBudget.SAMPLE_NANOS / 2);
        assertThat(budget.allowance()).isLessThan(Integer.MAX_VALUE);
    }

    @Test
    void deliveriesStopYieldingOnceTheyLagTheLongestAllowed() {
        DeliveryBudget budget = budget(100);
        cpu = 0.99;
        sample(true);
        assertThat(budget.allowance()).isEqualTo(100);
        budget.spent(3, DeliveryBudget.MAX_LAG_NANOS - 1);
        sample(true);
        assertThat(budget.yielding()).isTrue();
        budget.allowance();

        budget.spent(3, DeliveryBudget.MAX_LAG_NANOS); // the oldest claimed had waited a minute
        sample(true);
        assertThat(budget.allowance()).isEqualTo(Integer.MAX_VALUE);
        assertThat(budget.yielding()).isFalse();

        budget.spent(16, 5_000 * MS); // caught up: yields again while still saturated
        sample(true);
        assertThat(budget.allowance()).isEqualTo(100);
    }

    @Test
    void rateZeroNeverYields() {
        DeliveryBudget budget = budget(0);
        cpu = 1.0;
        sample(true);

        assertThat(budget.allowance()).isEqualTo(Integer.MAX_VALUE);
        assertThat(budget.yielding()).isFalse();
    }
}
