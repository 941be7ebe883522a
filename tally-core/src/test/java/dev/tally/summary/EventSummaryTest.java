package dev.tally.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.event.EventName;
import org.junit.jupiter.api.Test;

class EventSummaryTest {
    private static final EventName INVITED = EventName.of("invited-friend");

    @Test
    void oneEventCountsOnceWithFirstAndLastAtItsTime() {
        assertThat(EventSummary.of(INVITED, 1000)).isEqualTo(new EventSummary(INVITED, 1, 1000, 1000));
    }

    @Test
    void addingAnEventCountsItAndWidensFirstAndLast() {
        EventSummary summary = EventSummary.of(INVITED, 1000);

        assertThat(summary.plusEvent(500)).isEqualTo(new EventSummary(INVITED, 2, 500, 1000));
        assertThat(summary.plusEvent(2000)).isEqualTo(new EventSummary(INVITED, 2, 1000, 2000));
        assertThat(summary.plusEvent(700).plusEvent(800)).isEqualTo(new EventSummary(INVITED, 3, 700, 1000));
    }

    @Test
    void addingSummariesAddsCountsAndTakesEarliestFirstAndLatestLast() {
        EventSummary stored = new EventSummary(INVITED, 3, 1000, 5000);
        EventSummary baseline = new EventSummary(INVITED, 10, 200, 3000);

        assertThat(stored.plus(baseline)).isEqualTo(new EventSummary(INVITED, 13, 200, 5000));
        assertThat(baseline.plus(stored)).isEqualTo(stored.plus(baseline));
    }

    @Test
    void summariesOfDifferentNamesCannotBeAdded() {
        EventSummary invited = EventSummary.of(INVITED, 1);
        EventSummary ordered = EventSummary.of(EventName.of("placed-order"), 1);

        assertThatThrownBy(() -> invited.plus(ordered))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invited-friend")
                .hasMessageContaining("placed-order");
    }

    @Test
    void negativeCountOrFirstAfterLastIsRejected() {
        assertThatThrownBy(() -> new EventSummary(INVITED, -1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EventSummary(INVITED, 1, 2, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
