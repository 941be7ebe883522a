package dev.tally.storage.rocksdb;

import static java.util.Objects.requireNonNull;

import dev.tally.auth.AccessToken;
import dev.tally.auth.TokenHash;
import dev.tally.catalog.CatalogEntry;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.error.StoreUnavailableException;
import dev.tally.event.AppendResult;
import dev.tally.event.DataEvent;
import dev.tally.event.EventCursor;
import dev.tally.event.EventName;
import dev.tally.metadata.TrackedKeys;
import dev.tally.storage.StoreOperations;
import dev.tally.storage.TallyStore;
import dev.tally.storage.WebhookStore;
import dev.tally.summary.ContactSummary;
import dev.tally.summary.DailyContactCount;
import dev.tally.summary.DailyEventCount;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.IndexType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default {@link TallyStore}: one RocksDB database in a directory, a column family per
 * kind of record (see {@link Column}), byte-ordered composite keys (see {@link Keys}).
 *
 * <p>Writes go through a single writer thread with group commit ({@link GroupCommitter}): every
 * write that queued while the previous fsync ran is committed with the next one, in one synced
 * {@link WriteBatch}. Reads go straight to the database and see only committed data; a write
 * returns only once it is durable, so a caller always reads its own writes.
 *
 * <p>Tuning is modest on purpose: the target is a 2-core box where the whole service gets a few
 * hundred MiB. One LRU block cache (64 MiB by default) is shared by all column families and also
 * holds index and filter blocks (partitioned, only their top level pinned), so memory does not grow
 * with the data set. Memtables are 16 MiB each (32 MiB wrote no faster in bench/store-bench and cost
 * resident memory), and all of them together are capped at twice that, so ten mostly idle column
 * families cannot add up to ten times the budget; the WAL is capped so an idle column family cannot pin old log
 * files. Two background jobs: one flush and one compaction at a time leaves a core for requests.
 * Bloom filters make the point reads of the append path (is this event stored? this summary?) cheap
 * when the answer is no. LZ4 on every level, the bottom one included: list reads decompress a block per
 * seek, and the benchmark showed ZSTD there costing read throughput for little space saved.
 */
public final class RocksDbStore implements TallyStore {
    private static final Logger LOG = LoggerFactory.getLogger(RocksDbStore.class);
    /** Index entries whose summaries one multi-get reads. */
    private static final int INDEX_CHUNK = 1_024;

    static {
        RocksDB.loadLibrary();
    }

    /**
     * The open database; replaced on the writer thread, under the lifecycle lock, when it is reopened,
     * and null while a reopening has failed (reads then answer 503).
     */
    private volatile @Nullable Database database;

    private final RocksDbConfig config;
    /**
     * Set when a synced write failed. RocksDB then holds a background error and refuses every later
     * write until the database is reopened (RocksJava has no {@code resume()}, and its automatic recovery
     * does not cover a failed WAL write): the writer thread reopens it before its next write, so a disk
     * that was full and has room again is taken back without restarting Tally.
     */
    private volatile boolean needsReopen;

    private volatile StoreOperations.GroupCommitListener commitListener = (writes, nanos) -> {};
    private final StoreOperations operations = new Operations();

    private final GroupCommitter committer;
    private final RocksDbWebhookStore webhooks;
    /** Readers hold it shared; close takes it exclusively, so no read touches a closed handle. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

    private boolean closed;
    private volatile boolean lastCommitFailed;
    /**
     * False while the store has never held a baseline, as most never do: then a summary skips the
     * baselines scan (an iterator per request). Set before the first baseline is written, never reset.
     */
    private volatile boolean mayHaveBaselines;

    private final EventCatalog eventCatalog;
    private final ContactCache contactCache = new ContactCache();

    /**
     * The native objects of one opening: the database, its column handles, and every option object,
     * in the order they were made; closed in reverse, so handles go before the db.
     */
    private record Database(
            RocksDB db,
            Map<Column, ColumnFamilyHandle> handles,
            WriteOptions syncWrite,
            List<AutoCloseable> resources) {
        /** Every column is opened in openDatabase(), so the map holds each one. */
        ColumnFamilyHandle handle(Column column) {
            return requireNonNull(handles.get(column), "column family not opened");
        }
    }

    private RocksDbStore(
            Database opened, RocksDbConfig config, UnaryOperator<GroupCommitter.BatchWriter> decorateWriter) {
        this.database = opened;
        this.config = config;
        GroupCommitter.BatchWriter writer = writes -> {
            reopenIfNeeded();
            try (WriteBatch batch = new WriteBatch()) {
                for (Layer.Write write : writes) {
                    switch (write) {
                        case Layer.Write.Put put -> batch.put(handle(put.column()), put.key(), put.value());
                        case Layer.Write.Delete delete -> batch.delete(handle(delete.column()), delete.key());
                        case Layer.Write.DeletePrefix range ->
                            batch.deleteRange(handle(range.column()), range.prefix(), Keys.upperBound(range.prefix()));
                    }
                }
                Database current = open();
                current.db().write(current.syncWrite(), batch);
            } catch (RocksDBException e) {
                needsReopen = true;
                throw e;
            } finally {
                // Also when the write failed: a reopened database may replay part of it.
                forgetCachedContacts(writes);
            }
        };
        this.mayHaveBaselines = hasAnyEntry(opened.db(), opened.handle(Column.BASELINES));
        this.eventCatalog = EventCatalog.load(opened.db(), opened.handle(Column.EVENT_CATALOG));
        this.committer = GroupCommitter.start(
                new GroupCommitter.Committed() {
                    @Override
                    public Optional<byte[]> get(Column column, byte[] key) throws RocksDBException {
                        return getCommitted(column, key);
                    }

                    @Override
                    public Map<ColumnKey, Optional<byte[]>> getAll(Collection<ColumnKey> keys) throws RocksDBException {
                        return getAllCommitted(keys);
                    }
                },
                decorateWriter.apply(writer),
                this::writeDeltas,
                (succeeded, commands, nanos) -> {
                    lastCommitFailed = !succeeded;
                    eventCatalog.indexCache().committed();
                    commitListener.committed(commands, nanos);
                },
                config.maxCommandsPerCommit());
        this.webhooks = new RocksDbWebhookStore(this);
        webhooks.start();
    }

    /** Opens (creating if needed) the store in {@code directory} with the default tuning. */
    public static RocksDbStore open(Path directory) {
        return open(RocksDbConfig.defaults(directory));
    }

    public static RocksDbStore open(RocksDbConfig config) {
        return open(config, UnaryOperator.identity());
    }

    /** Opens with the batch writer wrapped, so tests can delay or fail commits. */
    @SuppressWarnings("EnumOrdinal") // column families are opened in Column order
    static RocksDbStore open(RocksDbConfig config, UnaryOperator<GroupCommitter.BatchWriter> decorateWriter) {
        requireNonNull(config, "config is null");
        RocksDbStore store = new RocksDbStore(openDatabase(config), config, decorateWriter);
        try {
            store.giveOldWorkspacesBrowserSettings();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private static Database openDatabase(RocksDbConfig config) {
        try {
            Files.createDirectories(config.directory());
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot create the data directory " + config.directory(), e);
        }
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            LRUCache cache = remember(resources, new LRUCache(config.blockCacheBytes(), -1, false, 0.5));
            BloomFilter bloom = remember(resources, new BloomFilter(10));
            ColumnFamilyOptions columnOptions = remember(resources, columnOptions(config, cache, bloom));
            // A contact's events, summaries and baselines share a prefix: with it as the bloom
            // filter's key, a list or summary read skips every file that holds nothing of that contact.
            ColumnFamilyOptions byContactOptions = remember(
                    resources,
                    columnOptions(config, cache, bloom)
                            .useCappedPrefixExtractor(Keys.CONTACT_PREFIX_LENGTH)
                            .setMemtablePrefixBloomSizeRatio(0.05)
                            // And whole keys in the memtable's filter too: the de-duplication read
                            // of every new event asks for a key that is not there.
                            .setMemtableWholeKeyFiltering(true));
            DBOptions dbOptions = remember(
                    resources,
                    new DBOptions()
                            .setCreateIfMissing(true)
                            .setCreateMissingColumnFamilies(true)
                            .setMaxBackgroundJobs(2)
                            .setDbWriteBufferSize(config.writeBufferBytes() * 2)
                            .setMaxTotalWalSize(config.writeBufferBytes() * 4)
                            .setBytesPerSync(1L << 20)
                            .setKeepLogFileNum(3)
                            .setInfoLogLevel(InfoLogLevel.WARN_LEVEL));
            WriteOptions syncWrite = remember(resources, new WriteOptions().setSync(true));

            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnOptions));
            for (Column column : Column.values()) {
                descriptors.add(new ColumnFamilyDescriptor(
                        column.familyName(), column.keyedByContact() ? byContactOptions : columnOptions));
            }
            List<ColumnFamilyHandle> opened = new ArrayList<>();
            RocksDB db = remember(
                    resources, RocksDB.open(dbOptions, config.directory().toString(), descriptors, opened));
            Map<Column, ColumnFamilyHandle> handles = new EnumMap<>(Column.class);
            opened.forEach(handle -> remember(resources, handle));
            for (Column column : Column.values()) {
                handles.put(column, opened.get(column.ordinal() + 1)); // descriptors are in Column order
            }
            EventCatalog.backfill(db, handles, syncWrite);
            return new Database(db, handles, syncWrite, resources);
        } catch (RocksDBException | RuntimeException e) {
            closeAll(resources);
            throw new StoreUnavailableException("cannot open the RocksDB store in " + config.directory(), e);
        }
    }

    /**
     * Index and filter blocks are partitioned, with only their top level pinned, and cached with
     * high priority: whole per-file index and filter blocks (about a MiB each for a 64 MiB file)
     * were evicted by data blocks under random reads and read again on nearly every seek, which
     * made a list request cost a quarter of a millisecond in the store alone.
     */
    private static ColumnFamilyOptions columnOptions(RocksDbConfig config, LRUCache cache, BloomFilter bloom) {
        return new ColumnFamilyOptions()
                .setTableFormatConfig(new BlockBasedTableConfig()
                        .setBlockCache(cache)
                        .setFilterPolicy(bloom)
                        .setCacheIndexAndFilterBlocks(true)
                        .setCacheIndexAndFilterBlocksWithHighPriority(true)
                        .setIndexType(IndexType.kTwoLevelIndexSearch)
                        .setPartitionFilters(true)
                        .setMetadataBlockSize(4096)
                        .setPinTopLevelIndexAndFilter(true)
                        .setPinL0FilterAndIndexBlocksInCache(true))
                .setWriteBufferSize(config.writeBufferBytes())
                .setMaxWriteBufferNumber(2)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setBottommostCompressionType(CompressionType.LZ4_COMPRESSION);
    }

    // ---- workspaces and tokens

    @Override
    public void insertWorkspace(Workspace workspace) {
        write("insert workspace " + workspace.id(), changes -> {
            changes.put(Column.WORKSPACES, Keys.of(workspace.id().value()), Codec.workspace(workspace));
            return true;
        });
    }

    /**
     * Workspaces stored before browser settings existed get an app id and identity-verification
     * secret, written back once here, before the store serves, so every later read sees the same.
     */
    private void giveOldWorkspacesBrowserSettings() {
        List<Workspace> old = read(() -> {
            List<Workspace> found = new ArrayList<>();
            scan(Column.WORKSPACES, new byte[0], (key, value) -> {
                if (!Codec.workspaceHasBrowserSettings(value)) {
                    found.add(Codec.workspace(value));
                }
            });
            return found;
        });
        for (Workspace workspace : old) {
            updateWorkspace(workspace);
            LOG.info("gave workspace {} an app id and identity-verification secret", workspace.id());
        }
    }

    @Override
    public Optional<Workspace> findWorkspace(WorkspaceId id) {
        return read(() -> get(Column.WORKSPACES, Keys.of(id.value())).map(Codec::workspace));
    }

    @Override
    public List<Workspace> listWorkspaces() {
        return read(() -> {
            List<Workspace> workspaces = new ArrayList<>();
            scan(Column.WORKSPACES, new byte[0], (key, value) -> workspaces.add(Codec.workspace(value)));
            return List.copyOf(workspaces);
        });
    }

    @Override
    public boolean updateWorkspace(Workspace workspace) {
        return write("update workspace " + workspace.id(), changes -> {
            byte[] key = Keys.of(workspace.id().value());
            if (!changes.exists(Column.WORKSPACES, key)) {
                return false;
            }
            changes.put(Column.WORKSPACES, key, Codec.workspace(workspace));
            return true;
        });
    }

    @Override
    public void insertToken(AccessToken token) {
        write("insert token " + token.id(), changes -> {
            changes.put(Column.TOKENS, Keys.of(token.hash().hex()), Codec.token(token));
            changes.put(
                    Column.TOKENS_BY_WORKSPACE,
                    Keys.of(token.workspaceId().value(), token.id().value()),
                    Codec.tokenHash(token.hash()));
            return true;
        });
    }

    @Override
    public Optional<AccessToken> findToken(TokenHash hash) {
        return read(() -> get(Column.TOKENS, Keys.of(hash.hex())).map(Codec::token));
    }

    @Override
    public List<AccessToken> listTokens(WorkspaceId workspaceId) {
        return read(() -> {
            List<TokenHash> hashes = new ArrayList<>();
            scan(
                    Column.TOKENS_BY_WORKSPACE,
                    Keys.of(workspaceId.value()),
                    (key, value) -> hashes.add(Codec.tokenHash(value)));
            List<AccessToken> tokens = new ArrayList<>(hashes.size());
            for (TokenHash hash : hashes) {
                get(Column.TOKENS, Keys.of(hash.hex())).map(Codec::token).ifPresent(tokens::add);
            }
            return List.copyOf(tokens);
        });
    }

    @Override
    public boolean updateToken(AccessToken token) {
        return write("update token " + token.id(), changes -> {
            byte[] indexKey = Keys.of(token.workspaceId().value(), token.id().value());
            Optional<TokenHash> stored =
                    changes.get(Column.TOKENS_BY_WORKSPACE, indexKey).map(Codec::tokenHash);
            if (stored.isEmpty()) {
                return false;
            }
            if (!stored.get().equals(token.hash())) {
                changes.delete(Column.TOKENS, Keys.of(stored.get().hex()));
                changes.put(Column.TOKENS_BY_WORKSPACE, indexKey, Codec.tokenHash(token.hash()));
            }
            changes.put(Column.TOKENS, Keys.of(token.hash().hex()), Codec.token(token));
            return true;
        });
    }

    // ---- contacts

    @Override
    public boolean insertContact(Contact contact) {
        return write("insert contact " + contact.id(), changes -> {
            if (externalIdTakenByAnother(changes, contact)) {
                return false;
            }
            Optional<Contact> replaced = changes.get(Column.CONTACTS, contactKey(contact.workspaceId(), contact.id()))
                    .map(Codec::contact);
            replaced.ifPresent(old -> removeIndexes(changes, old));
            if (replaced.isEmpty()) {
                changes.deltas().addToCounter(Column.DAILY_CONTACT_COUNTS, DailyCountKeys.contact(contact), 1);
            }
            putContact(changes, contact);
            return true;
        });
    }

    @Override
    public boolean updateContact(Contact contact) {
        return write("update contact " + contact.id(), changes -> {
            Optional<Contact> existing = changes.get(Column.CONTACTS, contactKey(contact.workspaceId(), contact.id()))
                    .map(Codec::contact);
            if (existing.isEmpty() || externalIdTakenByAnother(changes, contact)) {
                return false;
            }
            removeIndexes(changes, existing.get());
            putContact(changes, contact);
            return true;
        });
    }

    @Override
    public Optional<Contact> findContact(WorkspaceId workspaceId, ContactId id) {
        return read(() -> get(Column.CONTACTS, contactKey(workspaceId, id)).map(Codec::contact));
    }

    @Override
    public Optional<Contact> findContactByExternalId(WorkspaceId workspaceId, String externalId) {
        return read(() -> {
            Optional<Contact> cached = contactCache.find(workspaceId, externalId);
            if (cached.isPresent()) {
                return cached;
            }
            long generation = contactCache.generation();
            Optional<byte[]> indexed = get(Column.CONTACTS_BY_EXTERNAL_ID, Keys.of(workspaceId.value(), externalId));
            if (indexed.isEmpty()) {
                return Optional.empty();
            }
            Optional<Contact> contact = Codec.indexedContact(indexed.get());
            if (contact.isPresent()) {
                // Only the index form that holds the whole contact: the old form's contact lives in
                // CONTACTS, whose writes the cache does not follow.
                contactCache.offer(workspaceId, externalId, contact.get(), generation);
                return contact;
            }
            return get(Column.CONTACTS, contactKey(workspaceId, Codec.indexedContactId(indexed.get())))
                    .map(Codec::contact);
        });
    }

    @Override
    public List<Contact> findContactsByEmail(WorkspaceId workspaceId, String email) {
        return read(() -> {
            byte[] prefix = Keys.of(workspaceId.value(), email);
            List<ContactId> ids = new ArrayList<>();
            scan(
                    Column.CONTACTS_BY_EMAIL,
                    prefix,
                    (key, value) -> ids.add(new ContactId(new Keys.Reader(key, prefix.length).string())));
            List<Contact> contacts = new ArrayList<>(ids.size());
            for (ContactId id : ids) {
                get(Column.CONTACTS, contactKey(workspaceId, id))
                        .map(Codec::contact)
                        .ifPresent(contacts::add);
            }
            return List.copyOf(contacts);
        });
    }

    @Override
    public List<Contact> listContacts(WorkspaceId workspaceId, Optional<ContactId> after, int limit) {
        return read(() -> {
            byte[] prefix = Keys.of(workspaceId.value());
            Optional<byte[]> start = after.map(id -> contactKey(workspaceId, id));
            List<Contact> contacts = new ArrayList<>();
            try (RocksIterator iterator = db().newIterator(handle(Column.CONTACTS))) {
                iterator.seek(start.orElse(prefix));
                if (start.isPresent() && iterator.isValid() && Arrays.equals(iterator.key(), start.get())) {
                    iterator.next();
                }
                while (contacts.size() < limit && iterator.isValid() && Keys.startsWith(iterator.key(), prefix)) {
                    contacts.add(Codec.contact(iterator.value()));
                    iterator.next();
                }
                iterator.status();
            }
            return List.copyOf(contacts);
        });
    }

    /** Counts the workspace's contact keys: a scan of one key range, values not decoded. */
    @Override
    public long countContacts(WorkspaceId workspaceId) {
        return read(() -> {
            byte[] prefix = Keys.of(workspaceId.value());
            long count = 0;
            try (RocksIterator iterator = db().newIterator(handle(Column.CONTACTS))) {
                for (iterator.seek(prefix);
                        iterator.isValid() && Keys.startsWith(iterator.key(), prefix);
                        iterator.next()) {
                    count++;
                }
                iterator.status();
            }
            return count;
        });
    }

    @Override
    public boolean deleteContact(WorkspaceId workspaceId, ContactId id) {
        return write("delete contact " + id, changes -> {
            byte[] key = contactKey(workspaceId, id);
            Optional<Contact> existing = changes.get(Column.CONTACTS, key).map(Codec::contact);
            if (existing.isEmpty()) {
                return false;
            }
            removeIndexes(changes, existing.get());
            eventCatalog.contactDeleted(changes, workspaceId, id, key);
            changes.delete(Column.CONTACTS, key);
            changes.deletePrefix(Column.EVENTS, key);
            changes.deletePrefix(Column.SUMMARIES, key);
            changes.deletePrefix(Column.BASELINES, key);
            return true;
        });
    }

    // ---- events and summaries

    @Override
    public List<AppendResult> append(List<DataEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        // Keys are built here, on the caller's thread, so the single writer only reads and writes.
        List<EventKeys> keys = events.stream().map(EventKeys::of).toList();
        return write("append " + events.size() + " events", new GroupCommitter.Command<>() {
            @Override
            public List<AppendResult> apply(Changes changes) throws RocksDBException {
                List<AppendResult> results = new ArrayList<>(keys.size());
                for (EventKeys event : keys) {
                    results.add(appendOne(changes, event));
                }
                return List.copyOf(results);
            }

            @Override
            public List<ColumnKey> reads() {
                List<ColumnKey> reads = new ArrayList<>(keys.size() * 3);
                for (EventKeys event : keys) {
                    reads.add(new ColumnKey(Column.EVENTS, event.event()));
                    reads.add(new ColumnKey(Column.TRACKED_KEYS, event.trackedKeys()));
                    reads.add(new ColumnKey(Column.SUMMARIES, event.summary()));
                }
                return reads;
            }
        });
    }

    /** Writes what the batch's commands added to counters and catalog entries, once per key. */
    private void writeDeltas(Deltas deltas, Changes changes) throws RocksDBException {
        for (Map.Entry<ColumnKey, long[]> counter : deltas.counters().entrySet()) {
            DailyCountKeys.add(
                    changes, counter.getKey().column(), counter.getKey().key(), counter.getValue()[0]);
        }
        eventCatalog.write(deltas, changes);
        webhooks.writeOutbox(deltas.outbox(), changes);
    }

    /** The keys one appended event reads and writes. */
    @SuppressWarnings("ArrayRecordComponent") // RocksDB keys, never compared as records
    private record EventKeys(
            DataEvent value, byte[] event, byte[] trackedKeys, byte[] summary, byte[] index, byte[] dailyCount) {
        static EventKeys of(DataEvent event) {
            byte[] contact = contactKey(event.workspaceId(), event.contactId());
            String name = event.name().value();
            return new EventKeys(
                    event,
                    Keys.key()
                            .bytes(contact)
                            .longValue(Long.MAX_VALUE - event.createdAt())
                            .string(name)
                            .build(),
                    Keys.of(event.workspaceId().value(), name),
                    Keys.key().bytes(contact).string(name).build(),
                    EventCatalog.indexKey(event.workspaceId(), event.name(), event.contactId()),
                    DailyCountKeys.event(event));
        }
    }

    private AppendResult appendOne(Changes changes, EventKeys keys) throws RocksDBException {
        if (changes.exists(Column.EVENTS, keys.event())) {
            return AppendResult.duplicate();
        }
        DataEvent event = keys.value();
        TrackedKeys tracked = changes.get(Column.TRACKED_KEYS, keys.trackedKeys())
                .map(Codec::trackedKeys)
                .orElse(TrackedKeys.NONE);
        TrackedKeys.Admission admission = tracked.admit(event.metadata());
        if (admission.changedTrackedKeys(tracked)) {
            changes.put(Column.TRACKED_KEYS, keys.trackedKeys(), Codec.trackedKeys(admission.tracked()));
        }
        byte[] stored = Codec.event(event.id(), admission.kept());
        changes.put(Column.EVENTS, keys.event(), stored);
        webhooks.queue(changes, event, keys.event(), stored);

        EventSummary summary = changes.get(Column.SUMMARIES, keys.summary())
                .map(value -> Codec.summary(event.name(), value).plusEvent(event.createdAt()))
                .orElseGet(() -> EventSummary.of(event.name(), event.createdAt()));
        changes.put(Column.SUMMARIES, keys.summary(), Codec.summary(summary));
        // The tracked-keys key is workspace | name, which is also the name's catalog key.
        EventCatalog.stored(changes, event, keys.index(), keys.trackedKeys(), admission.kept(), summary);
        changes.deltas().addToCounter(Column.DAILY_EVENT_COUNTS, keys.dailyCount(), 1);
        return AppendResult.stored(admission.ignoredKeys());
    }

    @Override
    public List<DataEvent> listEvents(
            WorkspaceId workspaceId, ContactId contactId, long minCreatedAt, Optional<EventCursor> after, int limit) {
        return read(() -> {
            byte[] prefix = contactKey(workspaceId, contactId);
            Optional<byte[]> start = after.map(cursor -> Keys.key()
                    .bytes(prefix)
                    .longValue(Long.MAX_VALUE - cursor.createdAt())
                    .string(cursor.name().value())
                    .build());
            List<DataEvent> events = new ArrayList<>();
            // The upper bound lets RocksDB skip files and blocks past this contact instead of reading them.
            try (Slice upper = new Slice(Keys.upperBound(prefix));
                    ReadOptions options = boundedTo(upper);
                    RocksIterator iterator = db().newIterator(handle(Column.EVENTS), options)) {
                iterator.seek(start.orElse(prefix));
                if (start.isPresent() && iterator.isValid() && Arrays.equals(iterator.key(), start.get())) {
                    iterator.next();
                }
                while (events.size() < limit && iterator.isValid() && Keys.startsWith(iterator.key(), prefix)) {
                    Keys.Reader key = new Keys.Reader(iterator.key(), prefix.length);
                    long createdAt = Long.MAX_VALUE - key.longValue();
                    if (createdAt < minCreatedAt) {
                        // Newest first: everything after this is older still.
                        break;
                    }
                    events.add(event(workspaceId, contactId, createdAt, key, iterator.value()));
                    iterator.next();
                }
                iterator.status();
            }
            return List.copyOf(events);
        });
    }

    @Override
    public List<DailyEventCount> dailyEventCounts(WorkspaceId workspaceId, LocalDate from, LocalDate to) {
        return read(() -> {
            List<DailyEventCount> counts = new ArrayList<>();
            int prefix = Keys.of(workspaceId.value()).length;
            scanDays(
                    Column.DAILY_EVENT_COUNTS,
                    workspaceId,
                    from,
                    to,
                    (key, value) -> counts.add(DailyCountKeys.eventCount(key, prefix, value)));
            return List.copyOf(counts);
        });
    }

    @Override
    public void subtractDailyEventCounts(WorkspaceId workspaceId, List<DailyEventCount> counts) {
        write("subtract daily counts", changes -> {
            for (DailyEventCount count : counts) {
                changes.deltas()
                        .addToCounter(
                                Column.DAILY_EVENT_COUNTS,
                                DailyCountKeys.event(workspaceId, count.day(), count.name()),
                                -count.count());
            }
            return true;
        });
    }

    @Override
    public List<DailyContactCount> dailyContactCounts(WorkspaceId workspaceId, LocalDate from, LocalDate to) {
        return read(() -> {
            List<DailyContactCount> counts = new ArrayList<>();
            int prefix = Keys.of(workspaceId.value()).length;
            scanDays(
                    Column.DAILY_CONTACT_COUNTS,
                    workspaceId,
                    from,
                    to,
                    (key, value) -> counts.add(DailyCountKeys.contactCount(key, prefix, value)));
            return List.copyOf(counts);
        });
    }

    /** The entries of a daily-count column from day {@code from} to {@code to} inclusive. */
    private void scanDays(Column column, WorkspaceId workspaceId, LocalDate from, LocalDate to, EntryConsumer consumer)
            throws RocksDBException {
        if (from.isAfter(to)) {
            return;
        }
        byte[] start = DailyCountKeys.day(workspaceId, from);
        byte[] end = DailyCountKeys.day(workspaceId, to.plusDays(1));
        try (Slice upper = new Slice(end);
                ReadOptions options = new ReadOptions().setIterateUpperBound(upper);
                RocksIterator iterator = db().newIterator(handle(column), options)) {
            for (iterator.seek(start); iterator.isValid(); iterator.next()) {
                consumer.accept(iterator.key(), iterator.value());
            }
            iterator.status();
        }
    }

    @Override
    public List<EventSummary> summaries(WorkspaceId workspaceId, ContactId contactId) {
        return read(() -> summariesIn(Column.SUMMARIES, contactKey(workspaceId, contactId)));
    }

    @Override
    public List<EventSummary> baselines(WorkspaceId workspaceId, ContactId contactId) {
        if (!mayHaveBaselines) {
            return List.of();
        }
        return read(() -> summariesIn(Column.BASELINES, contactKey(workspaceId, contactId)));
    }

    @Override
    public void putBaselines(WorkspaceId workspaceId, ContactId contactId, List<EventSummary> baselines) {
        // Before the write, so no reader after its commit can skip the scan.
        mayHaveBaselines = true;
        write("put baselines of contact " + contactId, changes -> {
            byte[] contact = contactKey(workspaceId, contactId);
            for (EventSummary baseline : baselines) {
                changes.put(
                        Column.BASELINES,
                        Keys.key()
                                .bytes(contact)
                                .string(baseline.name().value())
                                .build(),
                        Codec.summary(baseline));
            }
            return true;
        });
    }

    @Override
    public List<String> trackedKeys(WorkspaceId workspaceId, EventName name) {
        return read(() -> get(Column.TRACKED_KEYS, Keys.of(workspaceId.value(), name.value()))
                .map(Codec::trackedKeys)
                .orElse(TrackedKeys.NONE)
                .keys());
    }

    // ---- event catalog and search index

    @Override
    public List<CatalogEntry> catalog(WorkspaceId workspaceId) {
        return read(() -> {
            byte[] prefix = Keys.of(workspaceId.value());
            List<CatalogEntry> entries = new ArrayList<>();
            scan(Column.EVENT_CATALOG, prefix, (key, value) -> {
                EventName name = new EventName(new Keys.Reader(key, prefix.length).string());
                entries.add(Codec.catalogEntry(name, value));
            });
            return List.copyOf(entries);
        });
    }

    @Override
    public boolean setArchived(WorkspaceId workspaceId, EventName name, boolean archived) {
        return write(
                "archive " + name + " " + archived,
                changes -> eventCatalog.setArchived(changes, workspaceId, name, archived));
    }

    @Override
    public List<ContactSummary> eventIndex(
            WorkspaceId workspaceId, EventName name, Optional<ContactId> atOrAfter, int limit) {
        return read(() -> eventCatalog
                .indexCache()
                .page(
                        workspaceId,
                        name,
                        atOrAfter,
                        limit,
                        entry -> scanIndex(workspaceId, name, entry),
                        () -> readIndexPage(workspaceId, name, atOrAfter, limit)));
    }

    /**
     * One page of a name's index straight from RocksDB: the contacts from the index, their
     * summaries from {@link Column#SUMMARIES}, both read at one snapshot.
     */
    private List<ContactSummary> readIndexPage(
            WorkspaceId workspaceId, EventName name, Optional<ContactId> atOrAfter, int limit) throws RocksDBException {
        byte[] start = atOrAfter
                .map(id -> EventCatalog.indexKey(workspaceId, name, id))
                .orElse(Keys.of(workspaceId.value(), name.value()));
        List<ContactSummary> entries = new ArrayList<>(Math.min(limit, 1_024));
        walkIndex(
                workspaceId,
                name,
                start,
                limit,
                (key, idFrom, idTo, summary) ->
                        entries.add(new ContactSummary(new ContactId(new Keys.Reader(key, idFrom).string()), summary)));
        return List.copyOf(entries);
    }

    /** The whole of one name's index, in contact id order, at one snapshot. */
    private void scanIndex(WorkspaceId workspaceId, EventName name, IndexCache.Entry entry) throws RocksDBException {
        walkIndex(workspaceId, name, Keys.of(workspaceId.value(), name.value()), Integer.MAX_VALUE, entry);
    }

    /**
     * Walks a name's index from {@code start}, at most {@code limit} entries, giving each contact
     * with its summary. The index holds only who did the name (an entry is written when a contact's
     * summary of it is created, so ingest pays one put per new contact and name, not one per event);
     * the summaries are read in chunks with one multi-get each. The iterator and the multi-gets
     * read one snapshot, so the entries are those of one commit. Stores written before this hold
     * a summary as the index value; it is not read (it stopped being kept up to date).
     */
    private void walkIndex(WorkspaceId workspaceId, EventName name, byte[] start, int limit, IndexCache.Entry entry)
            throws RocksDBException {
        byte[] prefix = Keys.of(workspaceId.value(), name.value());
        byte[] workspace = Keys.of(workspaceId.value());
        RocksDB db = db();
        Snapshot snapshot = db.getSnapshot();
        try (Slice upper = new Slice(Keys.upperBound(prefix));
                ReadOptions options =
                        new ReadOptions().setIterateUpperBound(upper).setSnapshot(snapshot);
                ReadOptions gets = new ReadOptions().setSnapshot(snapshot);
                RocksIterator iterator = db.newIterator(handle(Column.EVENT_INDEX), options)) {
            List<byte[]> indexKeys = new ArrayList<>(INDEX_CHUNK);
            List<byte[]> summaryKeys = new ArrayList<>(INDEX_CHUNK);
            int walked = 0;
            for (iterator.seek(start); iterator.isValid() && walked < limit; iterator.next()) {
                byte[] key = iterator.key();
                indexKeys.add(key);
                // workspace | contact | name, the contact's bytes taken as they are from the index key.
                summaryKeys.add(Keys.key()
                        .bytes(workspace)
                        .bytes(Arrays.copyOfRange(key, prefix.length, key.length))
                        .string(name.value())
                        .build());
                walked++;
                if (indexKeys.size() == INDEX_CHUNK) {
                    summariesOf(db, gets, name, prefix.length, indexKeys, summaryKeys, entry);
                }
            }
            iterator.status();
            summariesOf(db, gets, name, prefix.length, indexKeys, summaryKeys, entry);
        } finally {
            db.releaseSnapshot(snapshot);
        }
    }

    /** Reads one chunk's summaries and hands each entry on; empties both lists. */
    private void summariesOf(
            RocksDB db,
            ReadOptions gets,
            EventName name,
            int idFrom,
            List<byte[]> indexKeys,
            List<byte[]> summaryKeys,
            IndexCache.Entry entry)
            throws RocksDBException {
        if (indexKeys.isEmpty()) {
            return;
        }
        List<byte[]> values =
                db.multiGetAsList(gets, Collections.nCopies(summaryKeys.size(), handle(Column.SUMMARIES)), summaryKeys);
        for (int i = 0; i < indexKeys.size(); i++) {
            byte[] value = values.get(i);
            if (value != null) { // never absent: the summary and its index entry commit together
                byte[] key = indexKeys.get(i);
                entry.accept(key, idFrom, key.length, Codec.summary(name, value));
            }
        }
        indexKeys.clear();
        summaryKeys.clear();
    }

    // ---- documents

    @Override
    public List<String> listDocuments(WorkspaceId workspaceId, String kind) {
        return read(() -> {
            List<String> documents = new ArrayList<>();
            scan(
                    Column.DOCUMENTS,
                    Keys.of(workspaceId.value(), kind),
                    (key, value) -> documents.add(new String(value, StandardCharsets.UTF_8)));
            return List.copyOf(documents);
        });
    }

    @Override
    public boolean deleteDocument(WorkspaceId workspaceId, String kind, String id) {
        return write("delete " + kind + " document", changes -> {
            byte[] key = Keys.of(workspaceId.value(), kind, id);
            if (!changes.exists(Column.DOCUMENTS, key)) {
                return false;
            }
            changes.delete(Column.DOCUMENTS, key);
            return true;
        });
    }

    @Override
    public void putDocument(WorkspaceId workspaceId, String kind, String id, String json) {
        write("put " + kind + " document", changes -> {
            changes.put(
                    Column.DOCUMENTS, Keys.of(workspaceId.value(), kind, id), json.getBytes(StandardCharsets.UTF_8));
            return true;
        });
    }

    @Override
    public Optional<String> findDocument(WorkspaceId workspaceId, String kind, String id) {
        return read(() -> get(Column.DOCUMENTS, Keys.of(workspaceId.value(), kind, id))
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8)));
    }

    // ---- webhooks

    @Override
    public WebhookStore webhooks() {
        return webhooks;
    }

    // ---- operations

    @Override
    public void checkHealth() {
        if (needsReopen) {
            // No write may come to reopen it: the health check asks the writer thread itself.
            write("reopen RocksDB after a failed write", changes -> {
                reopenIfNeeded();
                return true;
            });
        }
        read(() -> {
            if (!committer.isRunning()) {
                throw new StoreUnavailableException("the writer thread has stopped", new IllegalStateException());
            }
            if (lastCommitFailed) {
                throw new StoreUnavailableException("the last commit failed", new IllegalStateException());
            }
            get(Column.WORKSPACES, Keys.of("health-check"));
            return true;
        });
    }

    @Override
    public StoreOperations operations() {
        return operations;
    }

    /** Group commits, RocksDB's own figures, and checkpoints as backups. */
    private final class Operations implements StoreOperations {
        /** Summed over every column family; the block cache is shared, so read once. */
        private static final List<String> SUMMED = List.of(
                "rocksdb.estimate-num-keys",
                "rocksdb.cur-size-all-mem-tables",
                "rocksdb.estimate-table-readers-mem",
                "rocksdb.total-sst-files-size",
                "rocksdb.live-sst-files-size",
                "rocksdb.estimate-pending-compaction-bytes",
                "rocksdb.num-immutable-mem-table");

        private static final List<String> DATABASE_WIDE = List.of(
                "rocksdb.block-cache-usage",
                "rocksdb.block-cache-pinned-usage",
                "rocksdb.num-running-compactions",
                "rocksdb.num-running-flushes",
                "rocksdb.background-errors",
                "rocksdb.is-write-stopped",
                "rocksdb.actual-delayed-write-rate");

        @Override
        public void onGroupCommit(GroupCommitListener listener) {
            commitListener = requireNonNull(listener, "listener is null");
        }

        @Override
        public Map<String, Double> statistics() {
            return read(() -> {
                Map<String, Double> figures = new java.util.LinkedHashMap<>();
                for (String property : SUMMED) {
                    figures.put(metricName(property), (double) db().getAggregatedLongProperty(property));
                }
                for (String property : DATABASE_WIDE) {
                    figures.put(metricName(property), (double) db().getLongProperty(property));
                }
                return figures;
            });
        }

        private static String metricName(String property) {
            return property.substring("rocksdb.".length()).replace('-', '_');
        }

        /**
         * A RocksDB checkpoint: the live files hard-linked (copied across filesystems) with the log up to
         * this moment, so every write acknowledged before the call is in it, taken while writes go on.
         */
        @Override
        public void backup(Path target) {
            requireNonNull(target, "target is null");
            read(() -> {
                try (Checkpoint checkpoint = Checkpoint.create(db())) {
                    checkpoint.createCheckpoint(target.toString());
                }
                return true;
            });
        }
    }

    /** Stops taking writes, commits what is queued, then closes the handles before the database. */
    @Override
    public void close() {
        committer.close();
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            Database current = database;
            if (current != null) {
                closeAll(current.resources());
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /** Writes waiting for the writer thread; for tests of group commit. */
    int queuedWrites() {
        return committer.queued();
    }

    // ---- helpers

    /** The event stored at {@code key} (workspace | contact | reversed time | name) with {@code value}. */
    static DataEvent event(byte[] key, byte[] value) {
        Keys.Reader reader = new Keys.Reader(key, 0);
        WorkspaceId workspaceId = new WorkspaceId(reader.string());
        ContactId contactId = new ContactId(reader.string());
        return event(workspaceId, contactId, Long.MAX_VALUE - reader.longValue(), reader, value);
    }

    /** The rest of an event's key, read after its time, and its value. */
    private static DataEvent event(
            WorkspaceId workspaceId, ContactId contactId, long createdAt, Keys.Reader key, byte[] value) {
        EventName name = new EventName(key.string());
        Codec.StoredEvent stored = Codec.event(value);
        return new DataEvent(stored.id(), workspaceId, contactId, name, createdAt, stored.metadata());
    }

    private static byte[] contactKey(WorkspaceId workspaceId, ContactId id) {
        return Keys.of(workspaceId.value(), id.value());
    }

    private static boolean externalIdTakenByAnother(Changes changes, Contact contact) throws RocksDBException {
        if (contact.externalId().isEmpty()) {
            return false;
        }
        return changes.get(
                        Column.CONTACTS_BY_EXTERNAL_ID,
                        Keys.of(
                                contact.workspaceId().value(),
                                contact.externalId().get()))
                .map(Codec::indexedContactId)
                .filter(owner -> !owner.equals(contact.id()))
                .isPresent();
    }

    private static void putContact(Changes changes, Contact contact) {
        String workspace = contact.workspaceId().value();
        changes.put(Column.CONTACTS, contactKey(contact.workspaceId(), contact.id()), Codec.contact(contact));
        contact.externalId()
                .ifPresent(externalId -> changes.put(
                        Column.CONTACTS_BY_EXTERNAL_ID, Keys.of(workspace, externalId), Codec.contactIndex(contact)));
        contact.email()
                .ifPresent(email -> changes.put(
                        Column.CONTACTS_BY_EMAIL,
                        Keys.of(workspace, email, contact.id().value()),
                        new byte[0]));
    }

    /** After a batch is written (or failed): the cache forgets every external id the batch changed. */
    private void forgetCachedContacts(List<Layer.Write> writes) {
        for (Layer.Write write : writes) {
            if (write.column() != Column.CONTACTS_BY_EXTERNAL_ID) {
                continue;
            }
            switch (write) {
                case Layer.Write.Put put -> contactCache.written(put.key());
                case Layer.Write.Delete delete -> contactCache.written(delete.key());
                case Layer.Write.DeletePrefix range -> contactCache.clear();
            }
        }
    }

    private static void removeIndexes(Changes changes, Contact contact) {
        String workspace = contact.workspaceId().value();
        contact.externalId()
                .ifPresent(
                        externalId -> changes.delete(Column.CONTACTS_BY_EXTERNAL_ID, Keys.of(workspace, externalId)));
        contact.email()
                .ifPresent(email -> changes.delete(
                        Column.CONTACTS_BY_EMAIL,
                        Keys.of(workspace, email, contact.id().value())));
    }

    private List<EventSummary> summariesIn(Column column, byte[] prefix) throws RocksDBException {
        List<EventSummary> summaries = new ArrayList<>();
        scan(column, prefix, (key, value) -> {
            EventName name = new EventName(new Keys.Reader(key, prefix.length).string());
            summaries.add(Codec.summary(name, value));
        });
        return List.copyOf(summaries);
    }

    interface EntryConsumer {
        void accept(byte[] key, byte[] value);
    }

    /** Takes entries while it answers true. */
    interface EntryVisitor {
        boolean visit(byte[] key, byte[] value);
    }

    /** Entries whose key starts with {@code prefix}, in key order, until {@code visitor} answers false. */
    void scanWhile(Column column, byte[] prefix, EntryVisitor visitor) throws RocksDBException {
        scanWhile(column, prefix, prefix, visitor);
    }

    /** Like {@link #scanWhile(Column, byte[], EntryVisitor)}, from {@code start} (a key under the prefix). */
    void scanWhile(Column column, byte[] prefix, byte[] start, EntryVisitor visitor) throws RocksDBException {
        try (ReadOptions options = new ReadOptions();
                RocksIterator iterator = db().newIterator(handle(column), options)) {
            for (iterator.seek(start); iterator.isValid() && Keys.startsWith(iterator.key(), prefix); iterator.next()) {
                if (!visitor.visit(iterator.key(), iterator.value())) {
                    break;
                }
            }
            iterator.status();
        }
    }

    /** Every entry whose key starts with {@code prefix}, in key order. */
    void scan(Column column, byte[] prefix, EntryConsumer consumer) throws RocksDBException {
        if (prefix.length == 0) {
            // Every entry: there is no bound, and no prefix to filter on.
            try (ReadOptions options = new ReadOptions()) {
                scan(column, prefix, options, consumer);
            }
            return;
        }
        try (Slice upper = new Slice(Keys.upperBound(prefix));
                ReadOptions options = boundedTo(upper)) {
            scan(column, prefix, options, consumer);
        }
    }

    private void scan(Column column, byte[] prefix, ReadOptions options, EntryConsumer consumer)
            throws RocksDBException {
        try (RocksIterator iterator = db().newIterator(handle(column), options)) {
            for (iterator.seek(prefix);
                    iterator.isValid() && Keys.startsWith(iterator.key(), prefix);
                    iterator.next()) {
                consumer.accept(iterator.key(), iterator.value());
            }
            iterator.status();
        }
    }

    /**
     * Reads below {@code upper} only. Auto prefix mode lets RocksDB use the prefix bloom filters
     * exactly when every key in [seek key, upper) has the seek key's prefix (true for a generated
     * contact's keys), and read in plain key order otherwise, so results never depend on it.
     */
    private static ReadOptions boundedTo(Slice upper) {
        return new ReadOptions().setIterateUpperBound(upper).setAutoPrefixMode(true);
    }

    Optional<byte[]> get(Column column, byte[] key) throws RocksDBException {
        return Optional.ofNullable(db().get(handle(column), key));
    }

    /** The writer's view of the database; it runs only while the store is open. */
    private Optional<byte[]> getCommitted(Column column, byte[] key) throws RocksDBException {
        return get(column, key);
    }

    private Map<ColumnKey, Optional<byte[]>> getAllCommitted(Collection<ColumnKey> keys) throws RocksDBException {
        List<ColumnKey> ordered = List.copyOf(keys);
        List<ColumnFamilyHandle> families = new ArrayList<>(ordered.size());
        List<byte[]> rawKeys = new ArrayList<>(ordered.size());
        for (ColumnKey key : ordered) {
            families.add(handle(key.column()));
            rawKeys.add(key.key());
        }
        List<byte[]> values = db().multiGetAsList(families, rawKeys);
        Map<ColumnKey, Optional<byte[]>> found = HashMap.newHashMap(ordered.size());
        for (int i = 0; i < ordered.size(); i++) {
            found.put(ordered.get(i), Optional.ofNullable(values.get(i)));
        }
        return found;
    }

    ColumnFamilyHandle handle(Column column) {
        return open().handle(column);
    }

    /** The open database; throws 503 while it is being reopened after a failed write. */
    RocksDB db() {
        return open().db();
    }

    private Database open() {
        Database current = database;
        if (current == null) {
            throw new StoreUnavailableException(
                    "RocksDB is being reopened after a failed write", new IllegalStateException("reopening"));
        }
        return current;
    }

    /**
     * Only on the writer thread, and only after a failed write: closes the database and opens it again
     * (RocksDB replays its log), with readers held off meanwhile. Throws while it cannot (the disk still
     * full), to be tried again at the next write or health check.
     */
    private void reopenIfNeeded() throws RocksDBException {
        if (!needsReopen) {
            return;
        }
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                throw new RocksDBException("the store is closed");
            }
            Database current = database;
            if (current != null) {
                closeAll(current.resources());
                database = null; // readers now get 503 until it is open again
            }
            try {
                database = openDatabase(config);
            } catch (StoreUnavailableException e) {
                throw new RocksDBException("could not reopen RocksDB after a failed write: " + e.getMessage());
            }
            needsReopen = false;
            LOG.info("RocksDB reopened after a failed write; taking writes again");
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    interface Read<T> {
        T run() throws RocksDBException;
    }

    <T> T read(Read<T> read) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new StoreUnavailableException("the store is closed", new IllegalStateException("closed"));
            }
            open();
            return read.run();
        } catch (RocksDBException e) {
            throw new StoreUnavailableException("could not read from RocksDB: " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    <T> T write(String description, GroupCommitter.Command<T> command) {
        return committer.submit(description, command);
    }

    private static boolean hasAnyEntry(RocksDB db, ColumnFamilyHandle column) {
        try (RocksIterator iterator = db.newIterator(column)) {
            iterator.seekToFirst();
            return iterator.isValid();
        }
    }

    private static <T extends AutoCloseable> T remember(List<AutoCloseable> resources, T resource) {
        resources.add(resource);
        return resource;
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("could not close {}", resource.getClass().getSimpleName(), e);
            }
        }
        resources.clear();
    }
}
