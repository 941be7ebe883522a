package dev.tally.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventNameTest {

    @Test
    void namesDifferingOnlyInCaseAreTheSameName() {
        assertThat(EventName.of("Completed-Order")).isEqualTo(EventName.of("completed-order"));
        assertThat(EventName.of("Completed-Order").value()).isEqualTo("completed-order");
    }

    @Test
    void dotsAndDollarsBecomeDashes() {
        assertThat(EventName.of("Completed.Order").value()).isEqualTo("completed-order");
        assertThat(EventName.of("$purchase.done").value()).isEqualTo("-purchase-done");
        assertThat(EventName.of("a.b")).isEqualTo(EventName.of("a$b")).isEqualTo(EventName.of("A-B"));
    }

    @Test
    void surroundingWhitespaceIsDropped() {
        assertThat(EventName.of("  placed-order\t").value()).isEqualTo("placed-order");
    }

    @Test
    void blankNameIsRejected() {
        assertThatThrownBy(() -> EventName.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventName.of("   ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nameOfMaximumLengthIsAcceptedAndOneLongerIsRejected() {
        assertThat(EventName.of("a".repeat(EventName.MAX_LENGTH)).value()).hasSize(255);
        assertThatThrownBy(() -> EventName.of("a".repeat(EventName.MAX_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("255");
    }

    @Test
    void constructorRefusesANameThatIsNotNormalized() {
        assertThatThrownBy(() -> new EventName("Placed.Order"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not normalized");
    }

    @Test
    void namesSortAlphabetically() {
        assertThat(EventName.of("b")).isGreaterThan(EventName.of("a"));
        assertThat(EventName.of("A")).isEqualByComparingTo(EventName.of("a"));
    }
}
