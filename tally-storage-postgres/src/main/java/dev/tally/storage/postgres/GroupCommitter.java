package dev.tally.storage.postgres;

import dev.tally.error.StoreUnavailableException;
import dev.tally.error.TallyException;
import dev.tally.event.AppendResult;
import dev.tally.event.DataEvent;
import dev.tally.storage.StoreOperations;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit. Callers (virtual threads, one per request) queue their events and block; one
 * committer thread takes everything queued, up to {@link #MAX_EVENTS_PER_COMMIT}, and commits it
 * in one transaction, then wakes each caller with its own results. Under load, commits grow
 * instead of multiplying: a commit's round trips and fsync are shared by every request in it.
 *
 * <p>A batch that fails because of one request's data (a value PostgreSQL cannot store) is committed
 * again one request at a time, so only that request fails.
 */
final class GroupCommitter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);
    static final int MAX_EVENTS_PER_COMMIT = 2_000;

    private record Pending(List<DataEvent> events, CompletableFuture<List<AppendResult>> result) {}

    private final EventWriter writer;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final ReentrantLock submitLock = new ReentrantLock();
    private final Thread committer;
    private volatile boolean closed;
    private volatile StoreOperations.GroupCommitListener listener = (writes, nanos) -> {};

    GroupCommitter(EventWriter writer) {
        this.writer = writer;
        this.committer = Thread.ofPlatform()
                .name("tally-postgres-committer")
                .daemon(true)
                .unstarted(this::run);
        committer.start();
    }

    /** Blocks until the events are committed (or the commit failed) and returns their results. */
    List<AppendResult> append(List<DataEvent> events) {
        Pending pending = new Pending(List.copyOf(events), new CompletableFuture<>());
        submitLock.lock();
        try {
            if (closed) {
                throw new StoreUnavailableException("the PostgreSQL store is closed", null);
            }
            queue.add(pending);
        } finally {
            submitLock.unlock();
        }
        try {
            return pending.result().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                // Rethrown as is so the caller gets its category (400 or 503); the committer's
                // stack is in the cause chain of the log line, not needed here.
                throw failure;
            }
            throw new StoreUnavailableException("commit failed", e.getCause());
        }
    }

    void onCommit(StoreOperations.GroupCommitListener newListener) {
        this.listener = newListener;
    }

    /** Commits everything queued so far, then stops the committer. */
    @Override
    public void close() {
        submitLock.lock();
        try {
            closed = true;
        } finally {
            submitLock.unlock();
        }
        try {
            committer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int events = first.events().size();
                Pending next;
                while (events < MAX_EVENTS_PER_COMMIT && (next = queue.peek()) != null) {
                    if (events + next.events().size() > MAX_EVENTS_PER_COMMIT) {
                        break;
                    }
                    batch.add(queue.remove());
                    events += next.events().size();
                }
                long started = System.nanoTime();
                commit(batch);
                listener.committed(events, System.nanoTime() - started);
            } catch (InterruptedException e) {
                // Only close() ends the committer: it must drain the queue first.
                log.warn("event=committer_interrupted ignored=true");
            } catch (RuntimeException e) {
                // commit() completes every future; this is a bug, not a commit failure.
                log.error("event=committer_failed", e);
                batch.forEach(pending -> pending.result().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending> batch) {
        List<DataEvent> events = new ArrayList<>();
        batch.forEach(pending -> events.addAll(pending.events()));
        try {
            List<AppendResult> results = writer.append(events);
            int from = 0;
            for (Pending pending : batch) {
                int to = from + pending.events().size();
                pending.result().complete(List.copyOf(results.subList(from, to)));
                from = to;
            }
        } catch (SQLException e) {
            RuntimeException failure = SqlErrors.translate("commit events", e);
            if (failure instanceof TallyException invalid
                    && !(invalid instanceof StoreUnavailableException)
                    && batch.size() > 1) {
                batch.forEach(pending -> commit(List.of(pending)));
                return;
            }
            log.warn(
                    "event=commit_failed events={} sqlstate={} message={}",
                    events.size(),
                    e.getSQLState(),
                    e.getMessage());
            batch.forEach(pending -> pending.result().completeExceptionally(failure));
        } catch (RuntimeException e) {
            log.error("event=commit_failed events={}", events.size(), e);
            batch.forEach(pending -> pending.result().completeExceptionally(e));
        }
    }
}
