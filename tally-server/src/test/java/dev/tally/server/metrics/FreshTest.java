package dev.tally.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The gauges of one scrape share one reading, also when the reading is slow. */
class FreshTest {
    private long now;
    private final AtomicInteger reads = new AtomicInteger();

    @Test
    void aSlowReadIsSharedByTheGaugesRightAfterIt() {
        TallyMetrics.Fresh<Integer> pending = new TallyMetrics.Fresh<>(
                () -> {
                    now += TimeUnit.MILLISECONDS.toNanos(150); // a scan of a long due index
                    return reads.incrementAndGet();
                },
                () -> now);

        for (int gauge = 0; gauge < 6; gauge++) {
            assertThat(pending.get()).isEqualTo(1);
        }

        now += TimeUnit.SECONDS.toNanos(15); // the next scrape
        assertThat(pending.get()).isEqualTo(2);
        assertThat(reads).hasValue(2);
    }
}
