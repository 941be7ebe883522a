package dev.tally.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.event.EventName;
import dev.tally.search.EventField.Aspect;
import dev.tally.search.Operator;
import dev.tally.search.SummaryCondition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PackedIndexSearchTest {
    private static final EventName ORDERED = new EventName("placed-order");
    private static final EventName VIEWED = new EventName("viewed-item");
    private static final List<EventName> NAMES = List.of(ORDERED, VIEWED, new EventName("signed-up"));
    /** Ids sort as unsigned UTF-8 bytes, which is not Java's String order past the BMP's surrogates. */
    private static final List<String> ID_PARTS = List.of("a", "b", "z", "é", "中", "\uFF5E", "😀", "0", "-");

    private record Summary(long count, long first, long last) {}

    @Test
    void aConjunctionMatchesWhatBruteForceMatchesWithCursorAndLimit() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 300; round++) {
            Map<EventName, TreeMap<byte[], Summary>> rows = new HashMap<>();
            for (EventName name : NAMES) {
                TreeMap<byte[], Summary> summaries = new TreeMap<>(Arrays::compareUnsigned);
                int contacts = random.nextInt(40);
                for (int i = 0; i < contacts; i++) {
                    long first = random.nextInt(10);
                    summaries.put(
                            randomId(random), new Summary(1 + random.nextInt(4), first, first + random.nextInt(10)));
                }
                rows.put(name, summaries);
            }
            List<SummaryCondition> conditions = randomConjunction(random);
            Map<EventName, PackedIndex> indexes = new HashMap<>();
            conditions.forEach(condition -> indexes.put(condition.name(), pack(rows.get(condition.name()))));
            Optional<byte[]> after = random.nextBoolean() ? Optional.empty() : Optional.of(randomId(random));
            int limit = random.nextInt(6);

            PackedIndexSearch.Matches matches = PackedIndexSearch.run(conditions, indexes, after, limit);

            List<byte[]> expected = new ArrayList<>();
            for (Map.Entry<byte[], Summary> entry :
                    rows.get(conditions.get(0).name()).entrySet()) {
                if (conditions.stream()
                        .allMatch(condition ->
                                passes(condition, rows.get(condition.name()).get(entry.getKey())))) {
                    expected.add(entry.getKey());
                }
            }
            List<byte[]> atOrBefore = expected.stream()
                    .filter(id -> after.isPresent() && Arrays.compareUnsigned(id, after.get()) <= 0)
                    .toList();
            List<byte[]> page =
                    expected.subList(atOrBefore.size(), Math.min(expected.size(), atOrBefore.size() + limit));
            String context = "seed " + seed + ", round " + round + ": " + conditions;
            assertThat(matches.total()).as(context).isEqualTo(expected.size());
            assertThat(matches.before()).as(context).isEqualTo(atOrBefore.size());
            assertThat(matches.page().stream().map(PackedIndexSearchTest::text))
                    .as(context)
                    .containsExactlyElementsOf(
                            page.stream().map(PackedIndexSearchTest::text).toList());
        }
    }

    @Test
    void anIndexIsFoundByItsIdBytesAndReadBackEntryByEntry() {
        TreeMap<byte[], Summary> rows = new TreeMap<>(Arrays::compareUnsigned);
        rows.put(utf8("b"), new Summary(1, 10, 10));
        rows.put(utf8("😀"), new Summary(3, 5, 30));
        rows.put(utf8("\uFF5E"), new Summary(2, 7, 8));
        PackedIndex index = pack(rows);

        assertThat(index.size()).isEqualTo(3);
        assertThat(index.id(1)).isEqualTo(utf8("\uFF5E"));
        assertThat(index.firstAtOrAfter(utf8("c"))).isEqualTo(1);
        assertThat(index.firstAtOrAfter(utf8("😀"))).isEqualTo(2);
        assertThat(index.firstAtOrAfter(utf8("😁"))).isEqualTo(3);
        assertThat(List.of(index.count(2), index.first(2), index.last(2))).containsExactly(3L, 5L, 30L);
    }

    @Test
    void aBuilderRefusesAnEntryPastItsBound() {
        PackedIndex.Builder builder = new PackedIndex.Builder(200);
        byte[] id = utf8("0123456789");
        int added = 0;
        while (builder.add(id, 0, id.length, 1, 1, 1)) {
            added++;
        }

        assertThat(added).isPositive();
        assertThat(builder.build().bytes()).isLessThanOrEqualTo(200);
        assertThat(builder.build().size()).isEqualTo(added);
    }

    @Test
    void aConditionOnANameWithoutAnIndexIsRefused() {
        List<SummaryCondition> conditions =
                List.of(new SummaryCondition(ORDERED, Aspect.COUNT, Operator.GE, List.of(1L)));

        assertThatThrownBy(() -> PackedIndexSearch.run(
                        conditions, Map.of(VIEWED, pack(new TreeMap<>(Arrays::compareUnsigned))), Optional.empty(), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static PackedIndex pack(TreeMap<byte[], Summary> rows) {
        PackedIndex.Builder builder = new PackedIndex.Builder(Long.MAX_VALUE);
        rows.forEach((id, summary) -> assertThat(
                        builder.add(id, 0, id.length, summary.count(), summary.first(), summary.last()))
                .isTrue());
        return builder.build();
    }

    private static boolean passes(SummaryCondition condition, Summary summary) {
        if (summary == null) {
            return false;
        }
        return condition.test(
                switch (condition.aspect()) {
                    case COUNT -> summary.count();
                    case FIRST -> summary.first();
                    case LAST -> summary.last();
                });
    }

    private static List<SummaryCondition> randomConjunction(Random random) {
        List<SummaryCondition> conditions = new ArrayList<>();
        int size = 1 + random.nextInt(3);
        for (int i = 0; i < size; i++) {
            Aspect aspect = Aspect.values()[random.nextInt(Aspect.values().length)];
            Operator operator = List.of(Operator.EQ, Operator.LT, Operator.LE, Operator.GT, Operator.GE, Operator.IN)
                    .get(random.nextInt(6));
            long value = random.nextInt(12);
            List<Long> values = operator == Operator.IN ? List.of(value, value + 2) : List.of(value);
            conditions.add(new SummaryCondition(NAMES.get(random.nextInt(NAMES.size())), aspect, operator, values));
        }
        return conditions;
    }

    private static byte[] randomId(Random random) {
        StringBuilder id = new StringBuilder();
        int length = 1 + random.nextInt(3);
        for (int i = 0; i < length; i++) {
            id.append(ID_PARTS.get(random.nextInt(ID_PARTS.size())));
        }
        return utf8(id.toString());
    }

    private static String text(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
