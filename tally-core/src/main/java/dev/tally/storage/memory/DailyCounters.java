package dev.tally.storage.memory;

import dev.tally.contact.Contact;
import dev.tally.event.DataEvent;
import dev.tally.event.EventName;
import dev.tally.summary.DailyContactCount;
import dev.tally.summary.DailyEventCount;
import dev.tally.workspace.WorkspaceId;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The in-memory store's daily counts; guarded by the store's monitor like everything else in it. */
final class DailyCounters {
    private final Map<WorkspaceId, TreeMap<LocalDate, TreeMap<EventName, Long>>> events = new HashMap<>();
    private final Map<WorkspaceId, TreeMap<LocalDate, Long>> contacts = new HashMap<>();

    void countEvent(DataEvent event) {
        events.computeIfAbsent(event.workspaceId(), id -> new TreeMap<>())
                .computeIfAbsent(DailyEventCount.dayOf(event.createdAt()), day -> new TreeMap<>())
                .merge(event.name(), 1L, Long::sum);
    }

    void countContact(Contact contact) {
        contacts.computeIfAbsent(contact.workspaceId(), id -> new TreeMap<>())
                .merge(DailyEventCount.dayOf(contact.createdAt().getEpochSecond()), 1L, Long::sum);
    }

    void subtract(WorkspaceId workspaceId, List<DailyEventCount> counts) {
        TreeMap<LocalDate, TreeMap<EventName, Long>> days = events.get(workspaceId);
        if (days == null) {
            return;
        }
        for (DailyEventCount count : counts) {
            TreeMap<EventName, Long> names = days.get(count.day());
            if (names != null) {
                names.computeIfPresent(count.name(), (name, value) -> {
                    long left = value - count.count();
                    return left > 0 ? left : null;
                });
            }
        }
    }

    List<DailyEventCount> events(WorkspaceId workspaceId, LocalDate from, LocalDate to) {
        List<DailyEventCount> counts = new ArrayList<>();
        if (from.isAfter(to)) {
            return counts;
        }
        events.getOrDefault(workspaceId, new TreeMap<>())
                .subMap(from, true, to, true)
                .forEach((day, names) ->
                        names.forEach((name, count) -> counts.add(new DailyEventCount(day, name, count))));
        return List.copyOf(counts);
    }

    List<DailyContactCount> contacts(WorkspaceId workspaceId, LocalDate from, LocalDate to) {
        if (from.isAfter(to)) {
            return List.of();
        }
        return contacts.getOrDefault(workspaceId, new TreeMap<>()).subMap(from, true, to, true).entrySet().stream()
                .map(entry -> new DailyContactCount(entry.getKey(), entry.getValue()))
                .toList();
    }
}
