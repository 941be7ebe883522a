package dev.tally.storage.rocksdb;

import dev.tally.error.StoreUnavailableException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.RocksDBException;

/**
 * The single writer. Callers (virtual threads) queue a command and block on its future; one thread
 * takes everything queued, runs the commands in order against a shared {@link Layer}, writes all
 * their changes with one synced write, and only then completes the callers. So N concurrent
 * requests cost one fsync, and because only this thread writes, read-modify-write (de-duplication,
 * tracked keys, summaries, unique external ids) needs no locks and no retries.
 *
 * <p>A command that throws fails alone and leaves nothing in the batch. If the write itself fails,
 * every caller of the batch gets a {@link StoreUnavailableException}: never a success for data that
 * is not durable.
 */
final class GroupCommitter implements AutoCloseable {

    /** A write: reads and changes through {@link Changes}, returns what the caller gets. */
    interface Command<T> {
        T apply(Changes changes) throws RocksDBException;

        /** Keys the command will read, fetched for the whole batch at once before any command runs. */
        default List<ColumnKey> reads() {
            return List.of();
        }
    }

    /** The committed state, read one key at a time or many at once. */
    interface Committed extends Layer.Below {
        /** Every key's value, or empty where there is none. */
        Map<ColumnKey, Optional<byte[]>> getAll(Collection<ColumnKey> keys) throws RocksDBException;
    }

    /** Makes one batch of writes durable, or throws. */
    interface BatchWriter {
        void write(List<Layer.Write> writes) throws RocksDBException;
    }

    /** Writes a batch's {@link Deltas} into its layer once every command has run. */
    interface DeltaWriter {
        void write(Deltas deltas, Changes changes) throws RocksDBException;
    }

    /** Notified after each batch, so the store can report health and metrics: how many commands, how long. */
    interface CommitListener {
        void committed(boolean succeeded, int commands, long nanos);
    }

    private sealed interface Queued {}

    private record Pending<T>(String description, Command<T> command, CompletableFuture<T> result) implements Queued {}

    private record Stop() implements Queued {}

    private final BlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    private final ReentrantLock submitLock = new ReentrantLock();
    private final Committed database;
    private final BatchWriter writer;
    private final DeltaWriter deltaWriter;
    private final CommitListener listener;
    private final int maxCommandsPerCommit;
    private final Thread thread;
    private boolean stopping;

    private GroupCommitter(
            Committed database,
            BatchWriter writer,
            DeltaWriter deltaWriter,
            CommitListener listener,
            int maxCommandsPerCommit) {
        this.database = database;
        this.writer = writer;
        this.deltaWriter = deltaWriter;
        this.listener = listener;
        this.maxCommandsPerCommit = maxCommandsPerCommit;
        this.thread = Thread.ofPlatform().name("tally-rocksdb-writer").unstarted(this::run);
    }

    static GroupCommitter start(
            Committed database,
            BatchWriter writer,
            DeltaWriter deltaWriter,
            CommitListener listener,
            int maxCommandsPerCommit) {
        GroupCommitter committer = new GroupCommitter(database, writer, deltaWriter, listener, maxCommandsPerCommit);
        committer.thread.start();
        return committer;
    }

    /** Queues a command and waits until its batch is durable; rethrows what the command threw. */
    <T> T submit(String description, Command<T> command) {
        CompletableFuture<T> result = new CompletableFuture<>();
        submitLock.lock();
        try {
            if (stopping) {
                throw new StoreUnavailableException(
                        "the store is closed; cannot " + description, new IllegalStateException("closed"));
            }
            queue.add(new Pending<>(description, command, result));
        } finally {
            submitLock.unlock();
        }
        return await(description, result);
    }

    /** Commands waiting for the writer; for tests of group commit. */
    int queued() {
        return queue.size();
    }

    boolean isRunning() {
        return thread.isAlive();
    }

    /** Stops taking commands, commits everything already queued, and waits for the writer to end. */
    @Override
    public void close() {
        submitLock.lock();
        try {
            if (!stopping) {
                stopping = true;
                queue.add(new Stop());
            }
        } finally {
            submitLock.unlock();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                // The handles must not be closed under a running writer, so keep waiting.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Queued> taken = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            taken.clear();
            try {
                taken.add(queue.take());
            } catch (InterruptedException e) {
                // Only close() may stop the writer, after every queued command, so the interrupt is
                // dropped (re-setting it would make every later take() throw at once).
                continue;
            }
            queue.drainTo(taken, maxCommandsPerCommit - taken.size());
            List<Pending<?>> batch = new ArrayList<>(taken.size());
            for (Queued queued : taken) {
                switch (queued) {
                    case Pending<?> pending -> batch.add(pending);
                    case Stop s -> stop = true;
                }
            }
            if (!batch.isEmpty()) {
                commit(batch);
            }
        }
    }

    private void commit(List<Pending<?>> batch) {
        long started = System.nanoTime();
        Layer layer = new Layer();
        Layer.Below committed = prefetch(batch);
        Deltas deltas = new Deltas();
        List<Runnable> completions = new ArrayList<>(batch.size());
        List<Runnable> afterCommit = new ArrayList<>();
        List<Pending<?>> succeeded = new ArrayList<>(batch.size());
        for (Pending<?> pending : batch) {
            apply(pending, committed, layer, deltas, afterCommit, completions, succeeded);
        }
        try {
            if (!deltas.isEmpty()) {
                deltaWriter.write(deltas, new Changes(layer, committed, new Deltas()));
                layer.keep();
            }
            List<Layer.Write> writes = layer.writes();
            if (!writes.isEmpty()) {
                writer.write(writes);
            }
        } catch (RocksDBException | RuntimeException | Error e) {
            listener.committed(false, batch.size(), System.nanoTime() - started);
            StoreUnavailableException failure =
                    new StoreUnavailableException("could not commit " + succeeded.size() + " writes", e);
            succeeded.forEach(pending -> pending.result().completeExceptionally(failure));
            return;
        }
        listener.committed(true, batch.size(), System.nanoTime() - started);
        afterCommit.forEach(Runnable::run);
        completions.forEach(Runnable::run);
    }

    /**
     * One multi-get for every key the batch's commands announced, instead of a point read per key
     * on this thread, which every write waits for. The values stay valid for the whole batch: only
     * this thread writes, and a command's own and earlier commands' writes are read from the layers
     * above first. If the multi-get fails, commands read key by key and fail one by one.
     */
    private Layer.Below prefetch(List<Pending<?>> batch) {
        Set<ColumnKey> keys = new LinkedHashSet<>();
        for (Pending<?> pending : batch) {
            keys.addAll(pending.command().reads());
        }
        if (keys.isEmpty()) {
            return database;
        }
        Map<ColumnKey, Optional<byte[]>> found;
        try {
            found = database.getAll(keys);
        } catch (RocksDBException | RuntimeException e) {
            return database;
        }
        return (column, key) -> {
            Optional<byte[]> value = found.get(new ColumnKey(column, key));
            return value != null ? value : database.get(column, key);
        };
    }

    private <T> void apply(
            Pending<T> pending,
            Layer.Below committed,
            Layer layer,
            Deltas deltas,
            List<Runnable> afterCommit,
            List<Runnable> completions,
            List<Pending<?>> succeeded) {
        Changes changes = new Changes(layer, committed, deltas);
        T value;
        try {
            value = pending.command().apply(changes);
        } catch (RocksDBException e) {
            layer.rollback();
            pending.result()
                    .completeExceptionally(
                            new StoreUnavailableException("could not read to " + pending.description(), e));
            return;
        } catch (RuntimeException | Error e) {
            layer.rollback();
            pending.result().completeExceptionally(e);
            return;
        }
        layer.keep();
        changes.deltas().addTo(deltas);
        afterCommit.addAll(changes.afterCommitActions());
        succeeded.add(pending);
        completions.add(() -> pending.result().complete(value));
    }

    private static <T> T await(String description, CompletableFuture<T> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException(
                    "interrupted while waiting to " + description + "; the write may still commit", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new StoreUnavailableException("could not " + description, cause == null ? e : cause);
        }
    }
}
