package dev.tally.storage.rocksdb;

import dev.tally.catalog.CatalogEntry;
import dev.tally.catalog.KeyType;
import dev.tally.event.EventName;
import dev.tally.metadata.Metadata;
import dev.tally.metadata.MetadataValue;
import dev.tally.webhook.SubscriptionId;
import dev.tally.workspace.WorkspaceId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Changes that commute (additions to counters, and to the event catalog's entries), collected by
 * the commands of a batch and written once per key when the batch ends, instead of a read, a
 * decode, an encode and a write per event. Each command collects its own; they join the batch's
 * only if the command succeeds. The per-day counts and the catalog were a quarter of the single
 * writer's time when every event read and rewrote them.
 *
 * <p>Because the deltas are added to what is stored when the batch ends, a command of the same
 * batch that reads a counter or a catalog entry does not see them: commands only ever add to these
 * keys (or, for the archived flag, set it), so the order does not change the result.
 *
 * <p>The webhook outbox is collected the same way: the events of the batch that subscriptions are
 * owed a notification for, written as one outbox record when the batch ends ({@link
 * RocksDbWebhookStore#writeOutbox}).
 */
final class Deltas {
    private final Map<ColumnKey, long[]> counters = new HashMap<>();
    private final Map<ColumnKey, CatalogDelta> catalog = new HashMap<>();
    private final List<OutboxEntry> outbox = new ArrayList<>();

    /** A stored event (its key and value as written) and the subscriptions owed a notification for it. */
    @SuppressWarnings("ArrayRecordComponent") // stored bytes, never compared as records
    record OutboxEntry(byte[] eventKey, byte[] eventValue, List<SubscriptionId> subscriptions) {}

    /** Owes {@code subscriptions} a notification for the event stored at {@code eventKey}. */
    void notify(byte[] eventKey, byte[] eventValue, List<SubscriptionId> subscriptions) {
        outbox.add(new OutboxEntry(eventKey, eventValue, subscriptions));
    }

    List<OutboxEntry> outbox() {
        return outbox;
    }

    /** Adds {@code delta} to the counter at {@code key}; a counter that ends at zero or below is deleted. */
    void addToCounter(Column column, byte[] key, long delta) {
        counters.computeIfAbsent(new ColumnKey(column, key), k -> new long[1])[0] += delta;
    }

    /** The catalog changes of one name in this batch; {@code key} is the catalog key of the name. */
    CatalogDelta catalog(WorkspaceId workspaceId, EventName name, byte[] key) {
        return catalog.computeIfAbsent(
                new ColumnKey(Column.EVENT_CATALOG, key), k -> new CatalogDelta(workspaceId, name, key));
    }

    /** Whether this batch has changes for the catalog entry at {@code key}. */
    boolean touchesCatalog(byte[] key) {
        return catalog.containsKey(new ColumnKey(Column.EVENT_CATALOG, key));
    }

    boolean isEmpty() {
        return counters.isEmpty() && catalog.isEmpty() && outbox.isEmpty();
    }

    /** Adds a finished command's deltas to the batch's, in command order. */
    void addTo(Deltas batch) {
        counters.forEach((key, value) -> batch.counters.computeIfAbsent(key, k -> new long[1])[0] += value[0]);
        catalog.forEach((key, delta) -> batch.catalog
                .computeIfAbsent(key, k -> new CatalogDelta(delta.workspaceId, delta.name, delta.key))
                .add(delta));
        batch.outbox.addAll(outbox);
    }

    Map<ColumnKey, long[]> counters() {
        return counters;
    }

    Iterable<CatalogDelta> catalog() {
        return catalog.values();
    }

    /** What one batch adds to one name's catalog entry. */
    static final class CatalogDelta {
        private final WorkspaceId workspaceId;
        private final EventName name;
        private final byte[] key;
        private long count;
        private long contacts;
        private long first = Long.MAX_VALUE;
        private long last = Long.MIN_VALUE;
        private final Map<String, Set<KeyType>> keys = new LinkedHashMap<>();
        private Optional<Boolean> archived = Optional.empty();

        private CatalogDelta(WorkspaceId workspaceId, EventName name, byte[] key) {
            this.workspaceId = workspaceId;
            this.name = name;
            this.key = key;
        }

        WorkspaceId workspaceId() {
            return workspaceId;
        }

        EventName name() {
            return name;
        }

        byte[] key() {
            return key;
        }

        /** One stored event; {@code newContact} when it is its contact's first of the name. */
        void stored(long createdAt, boolean newContact, Metadata kept) {
            count++;
            if (newContact) {
                contacts++;
            }
            first = Math.min(first, createdAt);
            last = Math.max(last, createdAt);
            for (Map.Entry<String, MetadataValue> entry : kept.values().entrySet()) {
                keys.computeIfAbsent(entry.getKey(), k -> EnumSet.noneOf(KeyType.class))
                        .add(KeyType.of(entry.getValue()));
            }
        }

        /** A deleted contact's {@code events} of the name leave the counts. */
        void contactRemoved(long events) {
            count -= events;
            contacts--;
        }

        void archived(boolean value) {
            archived = Optional.of(value);
        }

        private void add(CatalogDelta other) {
            count += other.count;
            contacts += other.contacts;
            first = Math.min(first, other.first);
            last = Math.max(last, other.last);
            other.keys.forEach((k, types) ->
                    keys.computeIfAbsent(k, x -> EnumSet.noneOf(KeyType.class)).addAll(types));
            if (other.archived.isPresent()) {
                archived = other.archived;
            }
        }

        /** {@code stored} (or an empty entry) with this batch's changes. */
        CatalogEntry applyTo(Optional<CatalogEntry> stored) {
            CatalogEntry base = stored.orElseGet(() -> CatalogEntry.empty(name));
            Map<String, Set<KeyType>> merged = base.keys();
            if (!keys.isEmpty()) {
                merged = new LinkedHashMap<>(base.keys());
                for (Map.Entry<String, Set<KeyType>> entry : keys.entrySet()) {
                    Set<KeyType> types = EnumSet.noneOf(KeyType.class);
                    types.addAll(merged.getOrDefault(entry.getKey(), Set.of()));
                    types.addAll(entry.getValue());
                    merged.put(entry.getKey(), types);
                }
            }
            // Never below zero: a catalog that lost step with the summaries must not fail every
            // write of the batch that finds it out.
            long newCount = Math.max(0, base.count() + count);
            return new CatalogEntry(
                    name,
                    newCount,
                    Math.clamp(base.contacts() + contacts, 0, newCount),
                    Math.min(base.firstSeen(), first),
                    Math.max(base.lastSeen(), last),
                    merged,
                    archived.orElse(base.archived()));
        }
    }
}
