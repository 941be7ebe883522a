package dev.tally.storage.rocksdb;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The single writer's batch on its own, over a map standing in for the database: what a failed
 * command leaves (nothing, not even its deltas), how deltas of many commands add up to one write
 * per key, and that the WriteBatch gets the last value of each key with prefix deletes first.
 */
class GroupCommitterTest {
    private final Map<ColumnKey, byte[]> database = new HashMap<>();
    private final List<List<Layer.Write>> batches = new ArrayList<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final GroupCommitter committer = GroupCommitter.start(
            new GroupCommitter.Committed() {
                @Override
                public Optional<byte[]> get(Column column, byte[] key) {
                    return Optional.ofNullable(database.get(new ColumnKey(column, key)));
                }

                @Override
                public Map<ColumnKey, Optional<byte[]>> getAll(Collection<ColumnKey> keys) {
                    Map<ColumnKey, Optional<byte[]>> found = new LinkedHashMap<>();
                    keys.forEach(key -> found.put(key, Optional.ofNullable(database.get(key))));
                    return found;
                }
            },
            writes -> {
                batches.add(List.copyOf(writes));
                for (Layer.Write write : writes) {
                    switch (write) {
                        case Layer.Write.Put put -> database.put(new ColumnKey(put.column(), put.key()), put.value());
                        case Layer.Write.Delete delete -> database.remove(new ColumnKey(delete.column(), delete.key()));
                        case Layer.Write.DeletePrefix prefix ->
                            database.keySet()
                                    .removeIf(key -> key.column() == prefix.column()
                                            && Keys.startsWith(key.key(), prefix.prefix()));
                    }
                }
            },
            (deltas, changes) -> {
                for (Map.Entry<ColumnKey, long[]> counter : deltas.counters().entrySet()) {
                    DailyCountKeys.add(
                            changes, counter.getKey().column(), counter.getKey().key(), counter.getValue()[0]);
                }
            },
            (succeeded, commands, nanos) -> {},
            1_000);

    @AfterEach
    void close() {
        release.countDown();
        committer.close();
    }

    @Test
    void aFailedCommandLeavesNeitherItsWritesNorItsDeltas() throws Exception {
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> holder = holdTheWriter(callers);
            Future<Boolean> failing = callers.submit(() -> committer.submit("fail", changes -> {
                changes.put(Column.CONTACTS, key("written"), key("by the failed command"));
                changes.deltas().addToCounter(Column.DAILY_EVENT_COUNTS, key("day"), 5);
                throw new IllegalStateException("the command fails after writing");
            }));
            awaitQueued(1);
            Future<Optional<byte[]>> after = callers.submit(() -> committer.submit("read", changes -> {
                changes.deltas().addToCounter(Column.DAILY_EVENT_COUNTS, key("day"), 1);
                return changes.get(Column.CONTACTS, key("written"));
            }));
            awaitQueued(2);
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);

            assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
            assertThat(after.get(10, TimeUnit.SECONDS)).isEmpty();
        }
        assertThat(database).doesNotContainKey(new ColumnKey(Column.CONTACTS, key("written")));
        assertThat(counter("day")).isEqualTo(1);
    }

    @Test
    void deltasOfManyCommandsBecomeOneWritePerKey() throws Exception {
        committer.submit("seed", changes -> {
            changes.deltas().addToCounter(Column.DAILY_EVENT_COUNTS, key("day"), 10);
            changes.deltas().addToCounter(Column.DAILY_EVENT_COUNTS, key("gone"), 2);
            return true;
        });
        batches.clear();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> holder = holdTheWriter(callers);
            List<Future<Boolean>> adds = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                adds.add(callers.submit(() -> committer.submit("add", changes -> {
                    changes.deltas().addToCounter(Column.DAILY_EVENT_COUNTS, key("day"), 1);
                    return true;
                })));
            }
            adds.add(callers.submit(() -> committer.submit("take away", changes -> {
                changes.deltas().addToCounter(Column.DAILY_EVENT_COUNTS, key("gone"), -2);
                return true;
            })));
            awaitQueued(adds.size());
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
            for (Future<Boolean> add : adds) {
                assertThat(add.get(10, TimeUnit.SECONDS)).isTrue();
            }
        }
        assertThat(counter("day")).isEqualTo(60);
        assertThat(database).doesNotContainKey(new ColumnKey(Column.DAILY_EVENT_COUNTS, key("gone")));
        // The holder's batch, then one batch with exactly one write per counter.
        assertThat(batches.getLast()).hasSize(2);
    }

    @Test
    void theWriteBatchHasTheLastValueOfEachKeyAndPrefixDeletesFirst() {
        committer.submit("writes", changes -> {
            changes.put(Column.EVENTS, key("a/1"), key("old"));
            changes.put(Column.EVENTS, key("a/1"), key("new"));
            changes.put(Column.EVENTS, key("a/2"), key("before the prefix delete"));
            changes.deletePrefix(Column.EVENTS, key("a/"));
            changes.put(Column.EVENTS, key("a/3"), key("after the prefix delete"));
            assertThat(changes.get(Column.EVENTS, key("a/2"))).isEmpty();
            return true;
        });

        assertThat(batches.getLast())
                .extracting(write -> write.getClass().getSimpleName())
                .containsExactly("DeletePrefix", "Put");
        assertThat(database.get(new ColumnKey(Column.EVENTS, key("a/3")))).isEqualTo(key("after the prefix delete"));
        assertThat(database).hasSize(1);
    }

    /** Submits a command that holds the writer until {@link #release}, so later commands share a batch. */
    private Future<?> holdTheWriter(ExecutorService callers) throws InterruptedException {
        Future<?> holder = callers.submit(() -> committer.submit("hold", changes -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        return holder;
    }

    private void awaitQueued(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (committer.queued() < count) {
            assertThat(System.nanoTime())
                    .as("%d commands queued within 10 s", count)
                    .isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    private long counter(String name) {
        byte[] value = database.get(new ColumnKey(Column.DAILY_EVENT_COUNTS, key(name)));
        return value == null ? 0 : DailyCountKeys.count(value);
    }

    private static byte[] key(String text) {
        return text.getBytes(UTF_8);
    }
}
