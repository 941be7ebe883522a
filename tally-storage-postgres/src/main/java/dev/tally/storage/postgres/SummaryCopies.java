package dev.tally.storage.postgres;

import static java.util.Objects.requireNonNull;

import dev.tally.event.EventName;
import dev.tally.storage.PackedIndex;
import dev.tally.workspace.WorkspaceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's copies of whole event names' summaries ({@link SummaryCopy}), each exact at the
 * catalog version it was read at. Valid across nodes sharing the database: every transaction that
 * changes a name's {@code event_summaries} rows bumps its {@code event_catalog.version} (the append's
 * catalog upsert, a contact's deletion), so a copy whose version is the name's current version holds
 * exactly the rows a query would read now, whichever node wrote them.
 *
 * <p>A copy is made only of a stable name: one whose version is the same as at this node's previous
 * search of it. A name written between two searches is answered in SQL and copied at a later search
 * that finds it unchanged since the one before; a name written continuously is never copied, so it
 * never costs a whole read per search. A search of a stable name pays that read once (about what
 * the search costs in SQL), and the searches after it read the copy until the name is written.
 *
 * <p>Bounded: at most {@link #MAX_BYTES} of copies, least recently used evicted; a name larger than
 * the bound is never copied (its read stops at the bound; it is not read again while it has as many
 * contacts). Two searches that need the same missing copy read it once: the second waits for the
 * first's read.
 */
final class SummaryCopies {
    static final long MAX_BYTES = 16L << 20;
    /** Versions remembered for the stability rule; past this the memory is dropped (names become unstable once). */
    private static final int MAX_REMEMBERED = 100_000;

    /** Reads a name's rows and its version in one snapshot; empty if the copy would exceed {@code maxBytes}. */
    @FunctionalInterface
    interface Reader {
        Optional<SummaryCopy> read(WorkspaceId workspaceId, EventName name, long maxBytes);
    }

    /** A name's catalog row as a search reads it: its version and how many contacts did it. */
    record Current(long version, long contacts) {}

    private record Key(WorkspaceId workspaceId, EventName name) {}

    private final long maxBytes;
    private final Map<Key, Long> versionSeen = new ConcurrentHashMap<>();
    /** Names found larger than the bound, with their contact count then. */
    private final Map<Key, Long> tooLargeAt = new ConcurrentHashMap<>();

    private final Map<Key, CompletableFuture<Optional<SummaryCopy>>> reading = new ConcurrentHashMap<>();
    /** Guarded by {@code this}; in access order, for eviction. */
    private final LinkedHashMap<Key, SummaryCopy> copies = new LinkedHashMap<>(16, 0.75f, true);

    private long bytes;

    SummaryCopies() {
        this(MAX_BYTES);
    }

    /** With another bound (tests). */
    SummaryCopies(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * A copy of each name at exactly its current version, reading the stable names' missing copies
     * now; empty if any name has none (the caller answers in SQL). Every name's version is
     * remembered for the next search, whatever the answer.
     */
    Optional<Map<EventName, SummaryCopy>> at(WorkspaceId workspaceId, Map<EventName, Current> current, Reader reader) {
        Map<EventName, SummaryCopy> found = new HashMap<>();
        List<EventName> missing = new ArrayList<>();
        boolean copiable = true;
        if (versionSeen.size() > MAX_REMEMBERED) {
            versionSeen.clear();
        }
        for (Map.Entry<EventName, Current> entry : current.entrySet()) {
            Key key = new Key(workspaceId, entry.getKey());
            long version = entry.getValue().version();
            Long previous = versionSeen.put(key, version);
            Optional<SummaryCopy> cached = cached(key).filter(copy -> copy.version() == version);
            if (cached.isPresent()) {
                found.put(entry.getKey(), cached.get());
            } else if (previous != null
                    && previous == version
                    && fits(key, entry.getValue().contacts())) {
                missing.add(entry.getKey());
            } else {
                copiable = false;
            }
        }
        if (!copiable) {
            return Optional.empty();
        }
        for (EventName name : missing) {
            Current wanted = requireNonNull(current.get(name));
            Optional<SummaryCopy> read = read(new Key(workspaceId, name), wanted.contacts(), reader)
                    .filter(copy -> copy.version() == wanted.version());
            if (read.isEmpty()) {
                return Optional.empty(); // too large, or written since the version was read
            }
            found.put(name, read.get());
        }
        return Optional.of(found);
    }

    /** How many copies are held, and their bytes. */
    synchronized Map<String, Double> statistics() {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("summary_copies", (double) copies.size());
        figures.put("summary_copies_bytes", (double) bytes);
        return figures;
    }

    private synchronized Optional<SummaryCopy> cached(Key key) {
        return Optional.ofNullable(copies.get(key));
    }

    /** Whether a name of this many contacts may fit: not more than the bound at its smallest entries, nor than when it was found too large. */
    private boolean fits(Key key, long contacts) {
        Long tooLarge = tooLargeAt.get(key);
        return contacts * (PackedIndex.ENTRY_BYTES + 1L) <= maxBytes && (tooLarge == null || contacts < tooLarge);
    }

    private Optional<SummaryCopy> read(Key key, long contacts, Reader reader) {
        CompletableFuture<Optional<SummaryCopy>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<SummaryCopy>> running = reading.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException | CancellationException e) {
                return Optional.empty(); // the reader's own search reports its failure
            }
        }
        try {
            Optional<SummaryCopy> read = reader.read(key.workspaceId(), key.name(), maxBytes);
            if (read.isPresent()) {
                keep(key, read.get());
            } else {
                tooLargeAt.put(key, contacts);
            }
            mine.complete(read);
            return read;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            reading.remove(key, mine);
        }
    }

    private synchronized void keep(Key key, SummaryCopy fresh) {
        SummaryCopy held = copies.get(key);
        if (held != null && held.version() > fresh.version()) {
            return; // a newer copy was read meanwhile
        }
        copies.put(key, fresh);
        bytes += fresh.bytes() - (held == null ? 0 : held.bytes());
        tooLargeAt.remove(key);
        Iterator<SummaryCopy> oldestFirst = copies.values().iterator();
        while (bytes > maxBytes && oldestFirst.hasNext()) {
            SummaryCopy evicted = oldestFirst.next();
            if (evicted != fresh) {
                bytes -= evicted.bytes();
                oldestFirst.remove();
            }
        }
    }
}
