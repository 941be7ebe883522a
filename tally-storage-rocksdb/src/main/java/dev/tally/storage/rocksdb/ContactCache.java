package dev.tally.storage.rocksdb;

import dev.tally.contact.Contact;
import dev.tally.workspace.WorkspaceId;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Contacts by external id as last committed, so that resolving an event's {@code user_id} (every
 * {@code POST /events} does it) is a hash lookup instead of a RocksDB point read: the read was about
 * 10 µs of a POST's 110-130 µs of CPU (async-profiler, 2026-12-01), more than everything the second
 * wave added to the write path.
 *
 * <p>Exact, never stale, because one process owns the database and every write goes through the
 * single writer: the writer calls {@link #written} for each key of {@link Column#CONTACTS_BY_EXTERNAL_ID}
 * a batch puts or deletes, after the batch is written and before any caller of the batch is told it
 * succeeded, so a caller reads its own write. A reader offers what it read together with the
 * generation it saw before reading; {@link #written} bumps the generation before removing the
 * key, and the offer checks the generation inside the same map operation as its insert. So a value
 * read before a commit is either removed by that commit's {@link #written} or never inserted.
 *
 * <p>Only found contacts are kept (an unknown id always asks RocksDB, so guessed ids cannot fill
 * it), at most {@link #MAX_ENTRIES}; past that an arbitrary entry makes room.
 */
final class ContactCache {
    static final int MAX_ENTRIES = 20_000;

    private record Key(String workspaceId, String externalId) {}

    private final AtomicLong generation = new AtomicLong();
    private final Map<Key, Contact> contacts = new ConcurrentHashMap<>();

    /** Read before the store read whose result is {@link #offer}ed. */
    long generation() {
        return generation.get();
    }

    Optional<Contact> find(WorkspaceId workspaceId, String externalId) {
        return Optional.ofNullable(contacts.get(new Key(workspaceId.value(), externalId)));
    }

    /** Keeps a contact read from the store, unless a commit changed any external id since {@code readGeneration}. */
    void offer(WorkspaceId workspaceId, String externalId, Contact contact, long readGeneration) {
        if (contacts.size() >= MAX_ENTRIES) {
            Iterator<Key> any = contacts.keySet().iterator();
            if (any.hasNext()) {
                contacts.remove(any.next());
            }
        }
        contacts.compute(
                new Key(workspaceId.value(), externalId),
                (key, cached) -> generation.get() == readGeneration ? contact : cached);
    }

    /** The writer, after a batch that put or deleted this {@link Column#CONTACTS_BY_EXTERNAL_ID} key. */
    void written(byte[] externalIdKey) {
        generation.incrementAndGet();
        Keys.Reader reader = new Keys.Reader(externalIdKey, 0);
        contacts.remove(new Key(reader.string(), reader.string()));
    }

    /** The writer, after a batch that deleted a range of external ids, or when the database is reopened. */
    void clear() {
        generation.incrementAndGet();
        contacts.clear();
    }
}
