package dev.tally.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.metadata.MetadataValue.StringValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackedKeysTest {

    @Test
    void firstKeysSeenBecomeTrackedInOrder() {
        TrackedKeys.Admission admission = TrackedKeys.NONE.admit(metadata("b", "a", "c"));

        assertThat(admission.tracked().keys()).containsExactly("b", "a", "c");
        assertThat(admission.kept().keys()).containsExactly("b", "a", "c");
        assertThat(admission.ignoredKeys()).isEmpty();
        assertThat(admission.changedTrackedKeys(TrackedKeys.NONE)).isTrue();
    }

    @Test
    void onlyTheFirstTenDistinctKeysEverSeenAreTracked() {
        TrackedKeys first = TrackedKeys.NONE
                .admit(metadata("k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8"))
                .tracked();

        TrackedKeys.Admission second = first.admit(metadata("k1", "k9", "k10", "k11", "k12"));

        assertThat(second.tracked().keys())
                .containsExactly("k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10");
        assertThat(second.kept().keys()).containsExactly("k1", "k9", "k10");
        assertThat(second.ignoredKeys()).containsExactly("k11", "k12");
    }

    @Test
    void onceFullNewKeysAreIgnoredAndTrackedKeysStillKept() {
        TrackedKeys full = new TrackedKeys(List.of("k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10"));

        TrackedKeys.Admission admission = full.admit(metadata("new", "k5", "other", "k1"));

        assertThat(admission.kept().keys()).containsExactly("k5", "k1");
        assertThat(admission.kept().values().get("k5")).isEqualTo(new StringValue("k5-value"));
        assertThat(admission.ignoredKeys()).containsExactly("new", "other");
        assertThat(admission.tracked()).isEqualTo(full);
        assertThat(admission.changedTrackedKeys(full)).isFalse();
    }

    @Test
    void eventWithOnlyKnownKeysChangesNothing() {
        TrackedKeys tracked = new TrackedKeys(List.of("a", "b"));

        TrackedKeys.Admission admission = tracked.admit(metadata("b"));

        assertThat(admission.tracked()).isEqualTo(tracked);
        assertThat(admission.changedTrackedKeys(tracked)).isFalse();
        assertThat(admission.kept().keys()).containsExactly("b");
    }

    @Test
    void emptyMetadataAdmitsNothing() {
        TrackedKeys.Admission admission = TrackedKeys.NONE.admit(Metadata.EMPTY);

        assertThat(admission.tracked().keys()).isEmpty();
        assertThat(admission.kept().isEmpty()).isTrue();
        assertThat(admission.ignoredKeys()).isEmpty();
    }

    private static Metadata metadata(String... keys) {
        Map<String, MetadataValue> values = new LinkedHashMap<>();
        for (String key : keys) {
            values.put(key, new StringValue(key + "-value"));
        }
        return new Metadata(values);
    }
}
