package dev.tally.service;

import static java.util.Objects.requireNonNull;

import dev.tally.error.TallyException;
import dev.tally.event.EventName;
import dev.tally.storage.TallyStore;
import dev.tally.summary.DailyContactCount;
import dev.tally.summary.DailyEventCount;
import dev.tally.summary.Overview;
import dev.tally.workspace.WorkspaceId;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The dashboard's overview and {@code GET /stats/overview}: read from the daily counts the store
 * keeps on ingest, so its cost grows with days times names, never with events.
 */
public final class OverviewService {
    /** The ranges offered; anything else is a 400, so no caller can ask for years of rows. */
    public static final Set<Integer> RANGES = Set.of(7, 30, 90);

    public static final int TOP_NAMES = 10;

    private final TallyStore store;
    private final Clock clock;

    public OverviewService(TallyStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The last {@code days} UTC days, today included. */
    public Overview overview(WorkspaceId workspaceId, int days) {
        if (!RANGES.contains(days)) {
            throw TallyException.invalid("days", "days must be 7, 30 or 90");
        }
        LocalDate to = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate from = to.minusDays(days - 1L);
        Map<LocalDate, Integer> index = new HashMap<>();
        List<LocalDate> dates = new ArrayList<>(days);
        for (int i = 0; i < days; i++) {
            dates.add(from.plusDays(i));
            index.put(from.plusDays(i), i);
        }
        long[] totals = new long[days];
        Map<EventName, long[]> byName = new TreeMap<>();
        for (DailyEventCount count : store.dailyEventCounts(workspaceId, from, to)) {
            int day = dayIndex(index, count.day());
            totals[day] += count.count();
            byName.computeIfAbsent(count.name(), name -> new long[days])[day] += count.count();
        }
        long[] contacts = new long[days];
        for (DailyContactCount count : store.dailyContactCounts(workspaceId, from, to)) {
            contacts[dayIndex(index, count.day())] += count.count();
        }
        List<Overview.NameCount> top = byName.entrySet().stream()
                .map(entry -> new Overview.NameCount(entry.getKey(), sum(entry.getValue())))
                .sorted(Comparator.comparingLong(Overview.NameCount::count)
                        .reversed()
                        .thenComparing(Overview.NameCount::name))
                .limit(TOP_NAMES)
                .toList();
        Map<EventName, List<Long>> series = new LinkedHashMap<>();
        byName.forEach((name, values) -> series.put(name, boxed(values)));
        return new Overview(dates, boxed(totals), series, top, boxed(contacts));
    }

    private static long sum(long[] values) {
        long sum = 0;
        for (long value : values) {
            sum += value;
        }
        return sum;
    }

    private static List<Long> boxed(long[] values) {
        List<Long> list = new ArrayList<>(values.length);
        for (long value : values) {
            list.add(value);
        }
        return list;
    }

    /** The store answers only days of the range asked for, each of which has an index. */
    private static int dayIndex(Map<LocalDate, Integer> index, LocalDate day) {
        Integer at = index.get(day);
        if (at == null) {
            throw new IllegalStateException("the store counted " + day + ", outside the range asked for");
        }
        return at;
    }
}
