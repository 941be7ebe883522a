package dev.tally.storage.rocksdb;

import dev.tally.contact.Contact;
import dev.tally.workspace.WorkspaceId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

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
 * it), at most {@link #MAX_ENTRIES} (about 600 bytes each); a full cache takes no more, and is
 * emptied at most once a minute.
 */
final class ContactCache {
    static final int MAX_ENTRIES = 20_000;
    private static final long EMPTY_AT_MOST_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private record Key(String workspaceId, String externalId) {}

    private final AtomicLong generation = new AtomicLong();
    private final Map<Key, Contact> contacts = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final LongSupplier nanoClock;
    private volatile long lastEmptied;

    ContactCache() {
        this(MAX_ENTRIES, System::nanoTime);
    }

    /** With another bound and clock (tests). */
    ContactCache(int maxEntries, LongSupplier nanoClock) {
        this.maxEntries = maxEntries;
        this.nanoClock = nanoClock;
        this.lastEmptied = nanoClock.getAsLong();
    }

    /** Read before the store read whose result is {@link #offer}ed. */
    long generation() {
        return generation.get();
    }

    Optional<Contact> find(WorkspaceId workspaceId, String externalId) {
        return Optional.ofNullable(contacts.get(new Key(workspaceId.value(), externalId)));
    }

    /** Keeps a contact read from the store, unless a commit changed any external id since {@code readGeneration}. */
    void offer(WorkspaceId workspaceId, String externalId, Contact contact, long readGeneration) {
        if (contacts.size() >= maxEntries) {
            // Full: take nothing new, and empty it at most once a minute so that the users kept
            // follow who is active. Replacing entries on every miss (the first version) made a
            // workload over more users than fit churn the cache: entries lived long enough to reach
            // the old generation and died there, and the full collections tripled the GC time of
            // batch ingest over 50,000 users. Dropping entries never makes a lookup stale.
            long now = nanoClock.getAsLong();
            if (now - lastEmptied < EMPTY_AT_MOST_EVERY_NANOS) {
                return;
            }
            lastEmptied = now;
            contacts.clear();
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

    /** The writer, after a batch that deleted a range of external ids. */
    void clear() {
        generation.incrementAndGet();
        contacts.clear();
    }
}
