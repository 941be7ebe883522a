package dev.tally.storage.rocksdb;

import static java.util.Objects.requireNonNull;

import dev.tally.catalog.CatalogEntry;
import dev.tally.catalog.KeyType;
import dev.tally.contact.ContactId;
import dev.tally.event.DataEvent;
import dev.tally.event.EventName;
import dev.tally.metadata.Metadata;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.WorkspaceId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Keeps {@link Column#EVENT_CATALOG} and {@link Column#EVENT_INDEX} in step with the events, inside
 * the writer's commands, so they commit with the events they count.
 *
 * <p>Commands add their catalog changes to the batch's {@link Deltas}, and each entry the batch
 * touched is read and written once when the batch ends (a thousand events of one name, in one
 * request or in a hundred, are one catalog write, not a thousand). The index gets an entry with a
 * contact's first event of a name; how often and when are read from {@link Column#SUMMARIES}.
 *
 * <p>Deleting a contact must find its summaries to take them out. Reading through the command's
 * {@link Changes} (which sees earlier, uncommitted commands of the same batch) needs the keys, so
 * the catalog remembers each workspace's event names in memory: loaded at open, added to by the
 * writer as names appear. Names are never removed, so it is a superset, which is all that is needed.
 */
final class EventCatalog {
    private static final byte[] NO_VALUE = new byte[0];
    private final Map<String, Set<String>> namesByWorkspace = new ConcurrentHashMap<>();
    private final IndexCache indexCache = new IndexCache();

    /**
     * A store written before the catalog existed has summaries but no catalog and no index: both
     * are built once from the summaries (not the events) and the tracked keys, whose types are then
     * unknown until seen again. Called at open, before any write; does nothing once a catalog exists.
     */
    static void backfill(RocksDB db, Map<Column, ColumnFamilyHandle> handles, WriteOptions options)
            throws RocksDBException {
        if (hasAny(db, column(handles, Column.EVENT_CATALOG)) || !hasAny(db, column(handles, Column.SUMMARIES))) {
            return;
        }
        Map<String, CatalogEntry> entries = new java.util.TreeMap<>();
        WriteBatch batch = new WriteBatch();
        try (RocksIterator iterator = db.newIterator(column(handles, Column.SUMMARIES))) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                Keys.Reader key = new Keys.Reader(iterator.key(), 0);
                WorkspaceId workspaceId = new WorkspaceId(key.string());
                ContactId contactId = new ContactId(key.string());
                EventName name = new EventName(key.string());
                EventSummary summary = Codec.summary(name, iterator.value());
                batch.put(
                        column(handles, Column.EVENT_INDEX), indexKey(workspaceId, name, contactId), iterator.value());
                entries.merge(
                        workspaceId.value() + '\u0000' + name.value(),
                        new CatalogEntry(name, summary.count(), 1, summary.first(), summary.last(), Map.of(), false),
                        (a, b) -> new CatalogEntry(
                                name,
                                a.count() + b.count(),
                                a.contacts() + 1,
                                Math.min(a.firstSeen(), b.firstSeen()),
                                Math.max(a.lastSeen(), b.lastSeen()),
                                Map.of(),
                                false));
                if (batch.count() >= 10_000) {
                    db.write(options, batch);
                    batch.close();
                    batch = new WriteBatch();
                }
            }
            iterator.status();
        }
        for (Map.Entry<String, CatalogEntry> entry : entries.entrySet()) {
            String workspaceId = entry.getKey().substring(0, entry.getKey().indexOf('\u0000'));
            CatalogEntry counted = entry.getValue();
            Map<String, Set<KeyType>> keys = new java.util.LinkedHashMap<>();
            byte[] tracked = db.get(
                    column(handles, Column.TRACKED_KEYS),
                    Keys.of(workspaceId, counted.name().value()));
            if (tracked != null) {
                Codec.trackedKeys(tracked).keys().forEach(key -> keys.put(key, Set.of()));
            }
            CatalogEntry withKeys = new CatalogEntry(
                    counted.name(),
                    counted.count(),
                    counted.contacts(),
                    counted.firstSeen(),
                    counted.lastSeen(),
                    keys,
                    false);
            batch.put(
                    column(handles, Column.EVENT_CATALOG),
                    catalogKey(new WorkspaceId(workspaceId), counted.name()),
                    Codec.catalogEntry(withKeys));
        }
        db.write(options, batch);
        batch.close();
    }

    /** Every column is opened before the backfill, so the map holds each one. */
    private static ColumnFamilyHandle column(Map<Column, ColumnFamilyHandle> handles, Column column) {
        return requireNonNull(handles.get(column), "column family not opened");
    }

    private static boolean hasAny(RocksDB db, ColumnFamilyHandle column) {
        try (RocksIterator iterator = db.newIterator(column)) {
            iterator.seekToFirst();
            return iterator.isValid();
        }
    }

    /** Reads every workspace's names from the committed catalog. Called at open. */
    static EventCatalog load(RocksDB db, ColumnFamilyHandle catalog) {
        EventCatalog loaded = new EventCatalog();
        try (RocksIterator iterator = db.newIterator(catalog)) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                Keys.Reader key = new Keys.Reader(iterator.key(), 0);
                loaded.remember(key.string(), key.string());
            }
        }
        return loaded;
    }

    static byte[] catalogKey(WorkspaceId workspaceId, EventName name) {
        return Keys.of(workspaceId.value(), name.value());
    }

    static byte[] indexKey(WorkspaceId workspaceId, EventName name, ContactId contactId) {
        return Keys.of(workspaceId.value(), name.value(), contactId.value());
    }

    /** Decoded copies of the index, invalidated by the writes this class makes. */
    IndexCache indexCache() {
        return indexCache;
    }

    /**
     * One stored event: the catalog entry gets a delta, and the index an entry if the event is the
     * contact's first of the name (the index says who did a name; the summaries say how often).
     */
    static void stored(
            Changes changes, DataEvent event, byte[] indexKey, byte[] catalogKey, Metadata kept, EventSummary summary) {
        if (summary.count() == 1) {
            changes.put(Column.EVENT_INDEX, indexKey, NO_VALUE);
        }
        changes.deltas()
                .catalog(event.workspaceId(), event.name(), catalogKey)
                .stored(event.createdAt(), summary.count() == 1, kept);
    }

    /** Writes a batch's catalog deltas: one read and one write per name the batch touched. */
    void write(Deltas deltas, Changes changes) throws RocksDBException {
        for (Deltas.CatalogDelta delta : deltas.catalog()) {
            Optional<CatalogEntry> stored = changes.get(Column.EVENT_CATALOG, delta.key())
                    .map(value -> Codec.catalogEntry(delta.name(), value));
            CatalogEntry entry = delta.applyTo(stored);
            changes.put(Column.EVENT_CATALOG, delta.key(), Codec.catalogEntry(entry));
            remember(delta.workspaceId().value(), entry.name().value());
            indexCache.touched(delta.workspaceId(), entry.name());
        }
    }

    /** Takes a contact being deleted out of the index and the catalog; call before deleting its summaries. */
    void contactDeleted(Changes changes, WorkspaceId workspaceId, ContactId contactId, byte[] contactKey)
            throws RocksDBException {
        for (String name : namesByWorkspace.getOrDefault(workspaceId.value(), Set.of())) {
            EventName eventName = new EventName(name);
            Optional<byte[]> summary = changes.get(
                    Column.SUMMARIES, Keys.key().bytes(contactKey).string(name).build());
            if (summary.isEmpty()) {
                continue;
            }
            changes.deltas()
                    .catalog(workspaceId, eventName, catalogKey(workspaceId, eventName))
                    .contactRemoved(Codec.summary(eventName, summary.get()).count());
            changes.delete(Column.EVENT_INDEX, indexKey(workspaceId, eventName, contactId));
            indexCache.touched(workspaceId, eventName);
        }
    }

    /** Sets a name's archived flag; false if nothing was ever stored under the name. */
    boolean setArchived(Changes changes, WorkspaceId workspaceId, EventName name, boolean archived)
            throws RocksDBException {
        byte[] key = catalogKey(workspaceId, name);
        if (!changes.exists(Column.EVENT_CATALOG, key) && !changes.catalogPending(key)) {
            return false;
        }
        changes.deltas().catalog(workspaceId, name, key).archived(archived);
        return true;
    }

    private void remember(String workspaceId, String name) {
        namesByWorkspace
                .computeIfAbsent(workspaceId, id -> ConcurrentHashMap.newKeySet())
                .add(name);
    }
}
