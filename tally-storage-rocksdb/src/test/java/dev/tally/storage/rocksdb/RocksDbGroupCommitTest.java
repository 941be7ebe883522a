package dev.tally.storage.rocksdb;

import static dev.tally.storage.rocksdb.TestingWorkspace.ADA;
import static dev.tally.storage.rocksdb.TestingWorkspace.WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.error.StoreUnavailableException;
import dev.tally.event.AppendResult;
import dev.tally.event.DataEvent;
import dev.tally.event.EventName;
import dev.tally.metadata.MetadataValue;
import dev.tally.summary.EventSummary;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;

/**
 * What the contract cannot see: that concurrent writes share one commit, that a failed commit is
 * never reported as success, and that close commits what is queued. The batch writer is wrapped
 * so a test can hold a commit open or make it fail.
 */
class RocksDbGroupCommitTest {
    @TempDir
    Path directory;

    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicBoolean holdNextCommit = new AtomicBoolean();
    private final AtomicBoolean failCommits = new AtomicBoolean();
    private final CountDownLatch commitHeld = new CountDownLatch(1);
    private final CountDownLatch releaseCommit = new CountDownLatch(1);
    private RocksDbStore store;

    @BeforeEach
    void openStore() {
        store = open();
        TestingWorkspace.insertInto(store);
        commits.set(0);
    }

    @AfterEach
    void closeStore() {
        releaseCommit.countDown();
        store.close();
    }

    @Test
    void concurrentAppendsShareOneCommit() throws Exception {
        int waiting = 20;
        holdNextCommit.set(true);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<AppendResult>> first = callers.submit(() -> store.append(List.of(event("first", 1))));
            assertThat(commitHeld.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<List<AppendResult>>> queued = new ArrayList<>();
            for (int i = 0; i < waiting; i++) {
                long createdAt = 100 + i;
                queued.add(callers.submit(() -> store.append(List.of(event("later", createdAt)))));
            }
            awaitTrue(() -> store.queuedWrites() == waiting);

            releaseCommit.countDown();

            assertThat(first.get()).extracting(AppendResult::status).containsExactly(AppendResult.Status.STORED);
            for (Future<List<AppendResult>> result : queued) {
                assertThat(result.get()).extracting(AppendResult::status).containsExactly(AppendResult.Status.STORED);
            }
        }

        assertThat(commits).hasValue(2);
        assertThat(store.summaries(WORKSPACE, ADA.id()))
                .containsExactly(
                        new EventSummary(EventName.of("first"), 1, 1, 1),
                        new EventSummary(EventName.of("later"), waiting, 100, 100 + waiting - 1));
    }

    @Test
    void appendWhoseCommitFailsThrowsAndStoresNothing() {
        failCommits.set(true);
        DataEvent paid = TestingWorkspace.event("paid", 100, Map.of("plan", new MetadataValue.StringValue("pro")));

        assertThatThrownBy(() -> store.append(List.of(paid))).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(store::checkHealth).isInstanceOf(StoreUnavailableException.class);

        failCommits.set(false);
        assertThat(store.listEvents(WORKSPACE, ADA.id(), 0, Optional.empty(), 10))
                .isEmpty();
        assertThat(store.summaries(WORKSPACE, ADA.id())).isEmpty();
        assertThat(store.trackedKeys(WORKSPACE, paid.name())).isEmpty();
        assertThat(store.append(List.of(paid))).containsExactly(AppendResult.stored(List.of()));
        assertThatCode(store::checkHealth).doesNotThrowAnyException();
    }

    @Test
    void everyCallerOfAFailedBatchGetsTheFailure() throws Exception {
        int waiting = 5;
        holdNextCommit.set(true);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<AppendResult>> first = callers.submit(() -> store.append(List.of(event("first", 1))));
            assertThat(commitHeld.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<List<AppendResult>>> queued = new ArrayList<>();
            for (int i = 0; i < waiting; i++) {
                long createdAt = 100 + i;
                queued.add(callers.submit(() -> store.append(List.of(event("later", createdAt)))));
            }
            awaitTrue(() -> store.queuedWrites() == waiting);
            failCommits.set(true);

            releaseCommit.countDown();

            assertThat(first.get()).hasSize(1);
            for (Future<List<AppendResult>> result : queued) {
                assertThatThrownBy(result::get)
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(StoreUnavailableException.class);
            }
        }

        failCommits.set(false);
        assertThat(store.listEvents(WORKSPACE, ADA.id(), 0, Optional.empty(), 100))
                .extracting(event -> event.name().value())
                .containsExactly("first");
    }

    @Test
    void closeCommitsWhatIsQueuedAndThenRefusesWork() throws Exception {
        int waiting = 10;
        holdNextCommit.set(true);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<AppendResult>> first = callers.submit(() -> store.append(List.of(event("first", 1))));
            assertThat(commitHeld.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<List<AppendResult>>> queued = new ArrayList<>();
            for (int i = 0; i < waiting; i++) {
                long createdAt = 100 + i;
                queued.add(callers.submit(() -> store.append(List.of(event("later", createdAt)))));
            }
            awaitTrue(() -> store.queuedWrites() == waiting);
            Future<?> closing = callers.submit(store::close);
            // The stop marker queues behind the waiting writes.
            awaitTrue(() -> store.queuedWrites() == waiting + 1);

            releaseCommit.countDown();

            closing.get();
            assertThat(first.get()).hasSize(1);
            for (Future<List<AppendResult>> result : queued) {
                assertThat(result.get()).hasSize(1);
            }
        }

        assertThatThrownBy(() -> store.append(List.of(event("late", 5000))))
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> store.summaries(WORKSPACE, ADA.id())).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(store::checkHealth).isInstanceOf(StoreUnavailableException.class);

        store = open();
        assertThat(store.listEvents(WORKSPACE, ADA.id(), 0, Optional.empty(), 100))
                .hasSize(waiting + 1);
    }

    @Test
    void writesQueuedInOneBatchSeeEachOther() throws Exception {
        DataEvent paid = TestingWorkspace.event("paid", 100, Map.of("plan", new MetadataValue.StringValue("pro")));
        DataEvent paidAgain =
                TestingWorkspace.event("paid", 100, Map.of("plan", new MetadataValue.StringValue("team")));
        holdNextCommit.set(true);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            callers.submit(() -> store.insertWorkspace(
                    new Workspace(new WorkspaceId("held"), "Held", Instant.EPOCH, OptionalLong.empty())));
            assertThat(commitHeld.await(10, TimeUnit.SECONDS)).isTrue();
            // Queued one by one so the batch runs them in this order.
            Future<List<AppendResult>> first = callers.submit(() -> store.append(List.of(paid)));
            awaitTrue(() -> store.queuedWrites() == 1);
            Future<List<AppendResult>> second =
                    callers.submit(() -> store.append(List.of(paidAgain, event("paid", 200))));
            awaitTrue(() -> store.queuedWrites() == 2);
            Future<Boolean> deleted = callers.submit(() -> store.deleteContact(WORKSPACE, ADA.id()));
            awaitTrue(() -> store.queuedWrites() == 3);
            Future<Boolean> inserted = callers.submit(() -> store.insertContact(ADA));
            awaitTrue(() -> store.queuedWrites() == 4);
            Future<List<AppendResult>> afterDelete = callers.submit(() -> store.append(List.of(paidAgain)));
            awaitTrue(() -> store.queuedWrites() == 5);

            releaseCommit.countDown();

            assertThat(first.get()).containsExactly(AppendResult.stored(List.of()));
            assertThat(second.get()).containsExactly(AppendResult.duplicate(), AppendResult.stored(List.of()));
            assertThat(deleted.get()).isTrue();
            assertThat(inserted.get()).isTrue();
            assertThat(afterDelete.get()).containsExactly(AppendResult.stored(List.of()));
        }

        assertThat(commits).hasValue(2);
        assertThat(store.listEvents(WORKSPACE, ADA.id(), 0, Optional.empty(), 10))
                .containsExactly(paidAgain);
        assertThat(store.summaries(WORKSPACE, ADA.id()))
                .containsExactly(new EventSummary(EventName.of("paid"), 1, 100, 100));
    }

    @Test
    void closingTwiceIsHarmless() {
        store.close();

        assertThatCode(store::close).doesNotThrowAnyException();
    }

    private RocksDbStore open() {
        return RocksDbStore.open(RocksDbConfig.defaults(directory.resolve("db")), real -> writes -> {
            commits.incrementAndGet();
            // Decided on arrival, so a batch held open is judged by the setting it arrived under.
            boolean fail = failCommits.get();
            if (holdNextCommit.compareAndSet(true, false)) {
                commitHeld.countDown();
                awaitUninterruptibly(releaseCommit);
            }
            if (fail) {
                throw new RocksDBException("simulated: no space left on device");
            }
            real.write(writes);
        });
    }

    private static DataEvent event(String name, long createdAt) {
        return TestingWorkspace.event(name, createdAt, Map.of());
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
