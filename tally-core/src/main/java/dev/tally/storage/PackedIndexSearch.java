package dev.tally.storage;

import dev.tally.event.EventName;
import dev.tally.search.SummaryCondition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A conjunction of summary conditions ({@link SummaryCondition#conjunction}) evaluated on whole
 * indexes held in memory ({@link PackedIndex}), with the figures {@link TallyStore#searchSummaries}
 * answers: the ids of the matches after the cursor (at most a limit, in id order), how many match,
 * and how many of those are at or before the cursor.
 *
 * <p>Every condition requires its event, so a match is in every name's index: the smallest index
 * drives, each of its entries is tested on its own name's conditions first (no search), and only
 * then found in the other indexes, which are walked forward in id order ({@link PackedIndex#seek}).
 * One pass over 100,000 entries takes a few milliseconds.
 */
public final class PackedIndexSearch {
    private PackedIndexSearch() {}

    /**
     * The encoded ids of the matches after the cursor, in id order; how many match; how many are at
     * or before the cursor.
     */
    public record Matches(List<byte[]> page, long total, long before) {
        public Matches {
            page = List.copyOf(page);
        }
    }

    /** One index and the conditions on its name. */
    private record Term(PackedIndex index, List<SummaryCondition> conditions) {
        boolean passes(int entry) {
            for (SummaryCondition condition : conditions) {
                if (!condition.test(index.value(condition.aspect(), entry))) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Evaluates the conditions; {@code indexes} holds the index of each name they name (and no
     * other), {@code after} is the cursor in the indexes' id encoding.
     */
    public static Matches run(
            List<SummaryCondition> conditions, Map<EventName, PackedIndex> indexes, Optional<byte[]> after, int limit) {
        List<Term> terms = new ArrayList<>();
        indexes.forEach((name, index) -> terms.add(new Term(
                index,
                conditions.stream()
                        .filter(condition -> condition.name().equals(name))
                        .toList())));
        if (conditions.stream().anyMatch(condition -> !indexes.containsKey(condition.name()))) {
            throw new IllegalArgumentException("no index of a name the conditions name");
        }
        terms.sort(Comparator.comparingInt(term -> term.index().size()));
        Term driver = terms.get(0);
        PackedIndex driving = driver.index();
        List<Term> others = terms.subList(1, terms.size());
        int[] positions = new int[others.size()];
        byte[] cursor = after.orElse(new byte[0]);
        List<byte[]> page = new ArrayList<>(Math.min(Math.max(limit, 0), 1_024));
        long total = 0;
        long before = 0;
        entries:
        for (int entry = 0; entry < driving.size(); entry++) {
            if (!driver.passes(entry)) {
                continue;
            }
            for (int i = 0; i < others.size(); i++) {
                PackedIndex other = others.get(i).index();
                int found = other.seek(positions[i], driving, entry);
                positions[i] = found;
                if (found == other.size()) {
                    break entries; // past the end of an index: no later entry is in it either
                }
                if (other.compare(found, driving, entry) != 0 || !others.get(i).passes(found)) {
                    continue entries;
                }
            }
            total++;
            if (after.isPresent() && driving.compare(entry, cursor, 0, cursor.length) <= 0) {
                before++;
            } else if (page.size() < limit) {
                page.add(driving.id(entry));
            }
        }
        return new Matches(page, total, before);
    }
}
