package dev.tally.storage.rocksdb;

import dev.tally.contact.ContactId;
import dev.tally.event.EventName;
import dev.tally.storage.PackedIndex;
import dev.tally.summary.ContactSummary;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.WorkspaceId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.RocksDBException;

/**
 * Decoded copies of whole event-name indexes ({@link Column#EVENT_INDEX}), so that a segment
 * query asked again reads packed arrays instead of iterating RocksDB: a scan of a hundred thousand
 * index entries costs about 300 ns an entry in RocksDB's merging iterator and the JNI calls around
 * it (measured: about half of a segment count's CPU), and reading the copy a few nanoseconds.
 *
 * <p>Exact, never stale: the writer marks a name touched with the number of the commit it is
 * assembling ({@link #touched}, before that commit is written) and counts each commit after it is
 * written ({@link #committed}). A copy remembers how many commits had been written when its scan
 * began; it serves only while no commit after that one has touched its name. A commit still being
 * assembled when a read starts already invalidates the copy, so the read scans (and sees whatever
 * is committed then). A copy is made only of a quiet name (not written for {@link #QUIET_NANOS});
 * a name written continuously is read page by page from RocksDB, exactly as without the cache.
 *
 * <p>Bounded: at most {@link #MAX_BYTES} of copies (about 54 bytes an entry: 24-character contact
 * ids, three longs), least recently used evicted; a name larger than the bound is never copied
 * (its scan stops at the bound and the page is read directly).
 */
final class IndexCache {
    static final long MAX_BYTES = 16L << 20;
    /** A name written more recently than this is read page by page, not copied. */
    static final long QUIET_NANOS = 1_000_000_000L;

    private final long quietNanos;

    private final AtomicLong commits = new AtomicLong();
    private final Map<String, Long> touchedIn = new ConcurrentHashMap<>();
    private final Map<String, Long> touchedAt = new ConcurrentHashMap<>();
    /** Guarded by {@code this}; in access order, for eviction. */
    private final LinkedHashMap<String, Copy> copies = new LinkedHashMap<>(16, 0.75f, true);

    private long bytes;

    IndexCache() {
        this(QUIET_NANOS);
    }

    /** With another quiet time (tests: 0, to copy at once). */
    IndexCache(long quietNanos) {
        this.quietNanos = quietNanos;
    }

    /** Reads a whole name's index from RocksDB. */
    interface Scan {
        void each(Entry entry) throws RocksDBException;
    }

    /** Reads one page of a name's index from RocksDB, as the SPI asks. */
    interface PagedRead {
        List<ContactSummary> page() throws RocksDBException;
    }

    /** Receives each index entry: the contact id's key bytes (one {@link Keys} string) and its summary. */
    interface Entry {
        void accept(byte[] key, int idFrom, int idTo, EventSummary summary);
    }

    /** The writer, while assembling a commit: the commit changes this name's index. */
    void touched(WorkspaceId workspaceId, EventName name) {
        String key = key(workspaceId, name);
        touchedIn.put(key, commits.get() + 1);
        touchedAt.put(key, System.nanoTime());
    }

    /** The writer, after each commit is written (or failed): the next commit has the next number. */
    void committed() {
        commits.incrementAndGet();
    }

    /**
     * The index page the SPI's {@code eventIndex} returns: from a copy when one is current; else
     * from a new copy if the name is quiet (not written in the last {@link #QUIET_NANOS}) and small
     * enough; else straight from RocksDB, one page, as without the cache (so a name written
     * continuously never costs a whole scan per page).
     */
    List<ContactSummary> page(
            WorkspaceId workspaceId,
            EventName name,
            Optional<ContactId> atOrAfter,
            int limit,
            Scan scan,
            PagedRead paged)
            throws RocksDBException {
        String key = key(workspaceId, name);
        Copy cached;
        synchronized (this) {
            cached = copies.get(key);
        }
        if (cached != null && touchedIn.getOrDefault(key, 0L) <= cached.asOf()) {
            return cached.page(name, atOrAfter, limit);
        }
        Long lastWrite = touchedAt.get(key);
        if (lastWrite != null && System.nanoTime() - lastWrite < quietNanos) {
            return paged.page();
        }
        long asOf = commits.get();
        Builder builder = new Builder();
        try {
            scan.each(builder);
        } catch (TooLarge tooLarge) {
            return paged.page();
        }
        Copy fresh = builder.build(asOf);
        if (touchedIn.getOrDefault(key, 0L) <= asOf) {
            keep(key, fresh);
        }
        return fresh.page(name, atOrAfter, limit);
    }

    /** A name whose copy would exceed {@link #MAX_BYTES}: the scan stops and the page is read directly. */
    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("index copy over " + MAX_BYTES + " bytes", null, false, false);
        }
    }

    private synchronized void keep(String key, Copy fresh) {
        Copy replaced = copies.put(key, fresh);
        bytes += fresh.bytes() - (replaced == null ? 0 : replaced.bytes());
        Iterator<Copy> oldestFirst = copies.values().iterator();
        while (bytes > MAX_BYTES && oldestFirst.hasNext()) {
            Copy evicted = oldestFirst.next();
            if (evicted != fresh) {
                bytes -= evicted.bytes();
                oldestFirst.remove();
            }
        }
    }

    private static String key(WorkspaceId workspaceId, EventName name) {
        return workspaceId.value() + '\u0000' + name.value();
    }

    /** One name's index, its ids the {@link Keys} strings of the contact ids, as of a commit count. */
    private record Copy(long asOf, PackedIndex index) {
        long bytes() {
            return index.bytes();
        }

        List<ContactSummary> page(EventName name, Optional<ContactId> atOrAfter, int limit) {
            int from = atOrAfter
                    .map(id -> index.firstAtOrAfter(Keys.of(id.value())))
                    .orElse(0);
            int to = (int) Math.min(index.size(), (long) from + limit);
            List<ContactSummary> page = new ArrayList<>(Math.max(0, to - from));
            for (int i = from; i < to; i++) {
                ContactId id = new ContactId(new Keys.Reader(index.id(i), 0).string());
                page.add(new ContactSummary(id, new EventSummary(name, index.count(i), index.first(i), index.last(i))));
            }
            return page;
        }
    }

    /** Fills a {@link PackedIndex}; a name past {@link #MAX_BYTES} stops the scan with {@link TooLarge}. */
    private static final class Builder implements Entry {
        private final PackedIndex.Builder packed = new PackedIndex.Builder(MAX_BYTES);

        @Override
        public void accept(byte[] key, int idFrom, int idTo, EventSummary summary) {
            if (!packed.add(key, idFrom, idTo, summary.count(), summary.first(), summary.last())) {
                throw new TooLarge();
            }
        }

        Copy build(long asOf) {
            return new Copy(asOf, packed.build());
        }
    }
}
