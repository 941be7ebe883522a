package dev.tally.storage.postgres;

import static java.util.Objects.requireNonNull;

import dev.tally.contact.ContactId;
import dev.tally.event.EventName;
import dev.tally.search.SummaryCondition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A conjunction of summary conditions evaluated on {@link SummaryCopy copies}, with what {@link
 * SummarySearchSql} computes in SQL: the ids of the matches after the cursor (at most a limit, in
 * id order), how many match, and how many of those are at or before the cursor.
 *
 * <p>Every condition requires its event, so a match is in every name's copy: the smallest copy
 * drives, each of its entries is tested on its own name's conditions first (no search), and only
 * then looked up in the other copies, which are walked forward in id order ({@link
 * SummaryCopy#seek}). A pass over 100,000 entries takes a few milliseconds.
 */
final class CopySearch {
    private CopySearch() {}

    /** The matches after the cursor (their ids, in id order), how many match, and how many are at or before it. */
    record Matches(List<ContactId> page, long total, long before) {
        Matches {
            page = List.copyOf(page);
        }
    }

    /** One copy and the conditions on its name. */
    private record Term(SummaryCopy copy, List<SummaryCondition> conditions) {
        boolean passes(int entry) {
            for (SummaryCondition condition : conditions) {
                if (!condition.test(copy.value(condition.aspect(), entry))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Evaluates the conditions; {@code copies} holds a copy of every name they name. */
    static Matches run(
            List<SummaryCondition> conditions,
            Map<EventName, SummaryCopy> copies,
            Optional<ContactId> after,
            int limit) {
        List<Term> terms = new ArrayList<>();
        copies.forEach((name, copy) -> terms.add(new Term(
                copy,
                conditions.stream()
                        .filter(condition -> condition.name().equals(name))
                        .toList())));
        for (SummaryCondition condition : conditions) {
            requireNonNull(copies.get(condition.name()), "no copy of a name the conditions name");
        }
        terms.sort(Comparator.comparingInt(term -> term.copy().size()));
        Term driver = terms.get(0);
        SummaryCopy driving = driver.copy();
        int others = terms.size() - 1;
        int[] positions = new int[others];
        byte[] cursor =
                after.map(id -> id.value().getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
        boolean hasCursor = after.isPresent();
        List<ContactId> page = new ArrayList<>(Math.min(Math.max(limit, 0), 1_024));
        long total = 0;
        long before = 0;
        entries:
        for (int entry = 0; entry < driving.size(); entry++) {
            if (!driver.passes(entry)) {
                continue;
            }
            int idFrom = driving.starts()[entry];
            int idTo = driving.starts()[entry + 1];
            for (int i = 0; i < others; i++) {
                Term term = terms.get(i + 1);
                int found = term.copy().seek(positions[i], driving.ids(), idFrom, idTo);
                positions[i] = found;
                if (found == term.copy().size()) {
                    break entries; // past the end of a copy: no later entry can be in it either
                }
                if (term.copy().compare(found, driving.ids(), idFrom, idTo) != 0 || !term.passes(found)) {
                    continue entries;
                }
            }
            total++;
            if (hasCursor && driving.compare(entry, cursor, 0, cursor.length) <= 0) {
                before++;
            } else if (page.size() < limit) {
                page.add(new ContactId(driving.id(entry)));
            }
        }
        return new Matches(page, total, before);
    }
}
