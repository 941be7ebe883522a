package dev.tally.catalog;

import static java.util.Objects.requireNonNull;

import dev.tally.event.EventName;
import dev.tally.metadata.Metadata;
import dev.tally.summary.EventSummary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a workspace has seen of one event name: how many events are stored ({@code count}), how
 * many contacts have at least one ({@code contacts}), the earliest and latest {@code created_at}
 * ever stored, each tracked metadata key with the types it was seen with (in first-seen order),
 * and whether the name is archived.
 *
 * <p>{@code count} and {@code contacts} are exact at every commit: a stored event adds to them, a
 * duplicate does not, and deleting a contact (also the lead of a merge) takes its events away.
 * {@code firstSeen} and {@code lastSeen} are history: deleting a contact does not move them.
 */
public record CatalogEntry(
        EventName name,
        long count,
        long contacts,
        long firstSeen,
        long lastSeen,
        Map<String, Set<KeyType>> keys,
        boolean archived) {
    public CatalogEntry {
        requireNonNull(name, "name is null");
        requireNonNull(keys, "keys is null");
        if (count < 0 || contacts < 0 || contacts > count) {
            throw new IllegalArgumentException("need 0 <= contacts <= count, got " + contacts + " and " + count);
        }
        Map<String, Set<KeyType>> copy = new LinkedHashMap<>();
        keys.forEach((key, types) -> {
            Set<KeyType> sorted = EnumSet.noneOf(KeyType.class);
            sorted.addAll(types);
            copy.put(key, Collections.unmodifiableSet(sorted));
        });
        keys = Collections.unmodifiableMap(copy);
    }

    /** A name nothing has been stored under yet. */
    public static CatalogEntry empty(EventName name) {
        return new CatalogEntry(name, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE, Map.of(), false);
    }

    /**
     * This entry with one more stored event. {@code newContact} says whether the event is its
     * contact's first of this name; {@code kept} is the metadata stored (after tracked-key admission).
     */
    public CatalogEntry withEvent(long createdAt, boolean newContact, Metadata kept) {
        Map<String, Set<KeyType>> grown = keys;
        for (var entry : kept.values().entrySet()) {
            KeyType type = KeyType.of(entry.getValue());
            Set<KeyType> seen = grown.get(entry.getKey());
            if (seen == null || !seen.contains(type)) {
                if (grown == keys) {
                    grown = new LinkedHashMap<>(keys);
                }
                Set<KeyType> types = EnumSet.noneOf(KeyType.class);
                if (seen != null) {
                    types.addAll(seen);
                }
                types.add(type);
                grown.put(entry.getKey(), types);
            }
        }
        return new CatalogEntry(
                name,
                count + 1,
                contacts + (newContact ? 1 : 0),
                Math.min(firstSeen, createdAt),
                Math.max(lastSeen, createdAt),
                grown,
                archived);
    }

    /** This entry without a deleted contact's events of this name. */
    public CatalogEntry withoutContact(EventSummary removed) {
        if (!removed.name().equals(name)) {
            throw new IllegalArgumentException("summary of " + removed.name() + " removed from " + name);
        }
        return new CatalogEntry(name, count - removed.count(), contacts - 1, firstSeen, lastSeen, keys, archived);
    }

    public CatalogEntry withArchived(boolean value) {
        return new CatalogEntry(name, count, contacts, firstSeen, lastSeen, keys, value);
    }

    /** The tracked keys in first-seen order. */
    public List<String> keyNames() {
        return new ArrayList<>(keys.keySet());
    }
}
