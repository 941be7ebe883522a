package dev.tally.storage;

import static java.util.Objects.requireNonNull;

import dev.tally.auth.AccessToken;
import dev.tally.auth.TokenHash;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A {@link TallyStore} that remembers the two point reads every API request makes to authenticate,
 * {@link #findToken} and {@link #findWorkspace}; every other method goes straight to the wrapped
 * store (through {@link ForwardingTallyStore}). Those two reads were about a tenth of a request's cost, for data that rarely changes.
 *
 * <p>Writes made through this store are seen by the next read: {@code insertToken} and {@code
 * updateToken} retire every cached token, {@code insertWorkspace} and {@code updateWorkspace} every
 * cached workspace. Writes made by another process on the same database (another Tally node on
 * PostgreSQL) are seen once the entry is older than the TTL: the TTL is how long a token revoked on
 * another node can keep working on this one.
 *
 * <p>Only found values are cached. An unknown token always asks the store, so a token issued on
 * another node works here at once, and guessed secrets cannot fill the cache.
 *
 * <p>Hand-written on {@link ConcurrentHashMap} rather than taken from a cache library: two small maps
 * on the request path need no eviction policy, and a library's classes would add to the start time,
 * which has a target of 1.5 s. Tokens and workspaces are few, so a cache that fills up is emptied.
 */
public final class CachingTallyStore extends ForwardingTallyStore {
    /** Far more tokens (or workspaces) than a deployment has; only a runaway fills a cache. */
    private static final int MAX_ENTRIES = 10_000;

    private final TallyStore store;
    private final Cache<TokenHash, AccessToken> tokens;
    private final Cache<WorkspaceId, Workspace> workspaces;

    CachingTallyStore(TallyStore store, Duration ttl, int maxEntries, LongSupplier nanoClock) {
        this.store = requireNonNull(store, "store is null");
        requireNonNull(ttl, "ttl is null");
        requireNonNull(nanoClock, "nanoClock is null");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be >= 1: " + maxEntries);
        }
        this.tokens = new Cache<>(ttl.toNanos(), maxEntries, nanoClock);
        this.workspaces = new Cache<>(ttl.toNanos(), maxEntries, nanoClock);
    }

    /** Caches tokens and workspaces of {@code store} for at most {@code ttl}; closing it closes {@code store}. */
    public static TallyStore wrap(TallyStore store, Duration ttl) {
        return new CachingTallyStore(store, ttl, MAX_ENTRIES, System::nanoTime);
    }

    /**
     * The entries of one kind and their generation, bumped on every invalidation.
     *
     * <p>Why a generation and not just {@code clear()}: a reader can load the old value from the
     * store while a writer changes it, and put that value back after the writer cleared the map. So
     * an entry keeps the generation read <em>before</em> the store read that produced it, and is
     * served only while that generation is still current; invalidation bumps it <em>after</em> the
     * store's write has returned. A read that began after the bump saw the finished write; one that
     * began before carries the old generation and is never served. Bumping before the write would
     * not do: a read between the bump and the commit would keep the old value under the new
     * generation.
     */
    private static final class Cache<K, V> {
        private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
        private final AtomicLong generation = new AtomicLong();
        private final long ttlNanos;
        private final int maxEntries;
        private final LongSupplier nanoClock;

        Cache(long ttlNanos, int maxEntries, LongSupplier nanoClock) {
            this.ttlNanos = ttlNanos;
            this.maxEntries = maxEntries;
            this.nanoClock = nanoClock;
        }

        Optional<V> find(K key, Function<K, Optional<V>> read) {
            long current = generation.get();
            long now = nanoClock.getAsLong();
            Entry<V> entry = entries.get(key);
            if (entry != null && entry.generation() == current && now - entry.readAtNanos() < ttlNanos) {
                return Optional.of(entry.value());
            }
            Optional<V> found = read.apply(key);
            if (found.isPresent()) {
                if (entries.size() >= maxEntries) {
                    entries.clear();
                }
                // Aged from before the read: the TTL bounds how old the value can be, not the entry.
                entries.put(key, new Entry<>(found.get(), current, now));
            }
            return found;
        }

        /**
         * Runs a write of this kind, then invalidates, also when the write threw: a commit whose
         * answer was lost (a dropped connection) may still have landed.
         */
        boolean update(BooleanSupplier write) {
            try {
                return write.getAsBoolean();
            } finally {
                generation.incrementAndGet();
                entries.clear();
            }
        }

        void insert(Runnable write) {
            update(() -> {
                write.run();
                return true;
            });
        }
    }

    private record Entry<V>(V value, long generation, long readAtNanos) {}

    @Override
    protected TallyStore delegate() {
        return store;
    }

    // ---- cached, and the writes that invalidate them

    @Override
    public void insertWorkspace(Workspace workspace) {
        workspaces.insert(() -> store.insertWorkspace(workspace));
    }

    @Override
    public Optional<Workspace> findWorkspace(WorkspaceId id) {
        return workspaces.find(id, store::findWorkspace);
    }

    @Override
    public boolean updateWorkspace(Workspace workspace) {
        return workspaces.update(() -> store.updateWorkspace(workspace));
    }

    @Override
    public void insertToken(AccessToken token) {
        tokens.insert(() -> store.insertToken(token));
    }

    @Override
    public Optional<AccessToken> findToken(TokenHash hash) {
        return tokens.find(hash, store::findToken);
    }

    @Override
    public boolean updateToken(AccessToken token) {
        return tokens.update(() -> store.updateToken(token));
    }
}
