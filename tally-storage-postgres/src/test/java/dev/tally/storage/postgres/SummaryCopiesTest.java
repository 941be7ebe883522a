package dev.tally.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.EventName;
import dev.tally.storage.PackedIndex;
import dev.tally.workspace.WorkspaceId;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The copies' rules without a database: when a name is copied, which copy serves, the bound. */
class SummaryCopiesTest {
    private static final WorkspaceId ACME = new WorkspaceId("acme");
    private static final EventName ORDERED = new EventName("placed-order");
    private static final EventName VIEWED = new EventName("viewed-item");

    /** A reader of copies of {@code entries} rows at {@code version}, counting its reads. */
    private static final class FakeReader implements SummaryCopies.Reader {
        final AtomicInteger reads = new AtomicInteger();
        volatile long version;
        volatile int entries = 3;

        FakeReader(long version) {
            this.version = version;
        }

        @Override
        public Optional<SummaryCopy> read(WorkspaceId workspaceId, EventName name, long maxBytes) {
            reads.incrementAndGet();
            PackedIndex.Builder builder = new PackedIndex.Builder(maxBytes);
            for (int i = 0; i < entries; i++) {
                byte[] id = String.format("c%06d", i).getBytes(StandardCharsets.UTF_8);
                if (!builder.add(id, 0, id.length, 1, 10, 20)) {
                    return Optional.empty();
                }
            }
            return Optional.of(new SummaryCopy(version, builder.build()));
        }
    }

    private static Map<EventName, SummaryCopies.Current> at(long version) {
        return Map.of(ORDERED, new SummaryCopies.Current(version, 3));
    }

    private static void assertCopyAt(Optional<Map<EventName, SummaryCopy>> found, long version) {
        assertThat(found)
                .hasValueSatisfying(
                        copies -> assertThat(copies.get(ORDERED).version()).isEqualTo(version));
    }

    @Test
    void aNameIsCopiedAtTheSecondSearchThatFindsItsVersionUnchangedAndServedFromThenOn() {
        SummaryCopies copies = new SummaryCopies();
        FakeReader reader = new FakeReader(7);

        assertThat(copies.at(ACME, at(7), reader)).isEmpty();
        assertThat(reader.reads).hasValue(0);

        assertCopyAt(copies.at(ACME, at(7), reader), 7);
        assertThat(copies.at(ACME, at(7), reader)).isPresent();
        assertThat(reader.reads).hasValue(1);
    }

    @Test
    void aWrittenNameIsNotServedFromItsOldCopyAndIsCopiedAgainOnceStable() {
        SummaryCopies copies = new SummaryCopies();
        FakeReader reader = new FakeReader(1);
        copies.at(ACME, at(1), reader);
        copies.at(ACME, at(1), reader);

        reader.version = 2;
        assertThat(copies.at(ACME, at(2), reader)).isEmpty();
        assertThat(reader.reads).hasValue(1);
        assertCopyAt(copies.at(ACME, at(2), reader), 2);
        assertThat(reader.reads).hasValue(2);
    }

    @Test
    void aNameWrittenBetweenEverySearchIsNeverRead() {
        SummaryCopies copies = new SummaryCopies();
        FakeReader reader = new FakeReader(0);
        for (long version = 1; version <= 5; version++) {
            assertThat(copies.at(ACME, at(version), reader)).isEmpty();
        }
        assertThat(reader.reads).hasValue(0);
    }

    @Test
    void aCopyReadAtALaterVersionThanAskedDoesNotAnswerThatSearchButTheNext() {
        SummaryCopies copies = new SummaryCopies();
        FakeReader reader = new FakeReader(4); // written between the search's version read and the copy's
        copies.at(ACME, at(3), reader);

        assertThat(copies.at(ACME, at(3), reader)).isEmpty();
        assertThat(copies.at(ACME, at(4), reader)).isPresent();
        assertThat(reader.reads).hasValue(1);
    }

    @Test
    void everyNameNeedsACurrentCopyAndAnUnstableOneIsRememberedForTheNextSearch() {
        SummaryCopies copies = new SummaryCopies();
        FakeReader reader = new FakeReader(1);
        copies.at(ACME, at(1), reader);
        copies.at(ACME, at(1), reader);
        Map<EventName, SummaryCopies.Current> both =
                Map.of(ORDERED, new SummaryCopies.Current(1, 3), VIEWED, new SummaryCopies.Current(1, 3));

        assertThat(copies.at(ACME, both, reader)).isEmpty();
        assertThat(copies.at(ACME, both, reader))
                .hasValueSatisfying(found -> assertThat(found).containsOnlyKeys(ORDERED, VIEWED));
        assertThat(reader.reads).hasValue(2);
    }

    @Test
    void aNameLargerThanTheBoundIsNotCopiedNorReadAgainWhileItHasAsManyContacts() {
        SummaryCopies copies = new SummaryCopies(4_096);
        FakeReader reader = new FakeReader(1);
        reader.entries = 1_000;
        Map<EventName, SummaryCopies.Current> large = Map.of(ORDERED, new SummaryCopies.Current(1, 100));
        copies.at(ACME, large, reader);

        assertThat(copies.at(ACME, large, reader)).isEmpty();
        assertThat(copies.at(ACME, large, reader)).isEmpty();
        assertThat(reader.reads).hasValue(1);
        assertThat(copies.at(ACME, Map.of(ORDERED, new SummaryCopies.Current(1, 10_000)), reader))
                .isEmpty();
        assertThat(reader.reads).hasValue(1);
        assertThat(copies.statistics()).containsEntry("summary_copies_bytes", 0.0);
    }

    @Test
    void copiesBeyondTheBoundEvictTheLeastRecentlyUsed() {
        FakeReader reader = new FakeReader(1);
        reader.entries = 50;
        long oneCopy = reader.read(ACME, ORDERED, Long.MAX_VALUE).orElseThrow().bytes();
        SummaryCopies copies = new SummaryCopies(oneCopy * 2 + oneCopy / 2);
        WorkspaceId[] workspaces = {new WorkspaceId("w1"), new WorkspaceId("w2"), new WorkspaceId("w3")};
        for (WorkspaceId workspace : workspaces) {
            copies.at(workspace, at(1), reader);
            copies.at(workspace, at(1), reader);
        }
        int reads = reader.reads.get();

        assertThat(copies.statistics()).containsEntry("summary_copies", 2.0);
        assertThat(copies.at(workspaces[2], at(1), reader)).isPresent();
        assertThat(copies.at(workspaces[1], at(1), reader)).isPresent();
        assertThat(reader.reads).hasValue(reads);
        assertThat(copies.at(workspaces[0], at(1), reader)).isPresent();
        assertThat(reader.reads).hasValue(reads + 1);
    }

    @Test
    void twoSearchesThatNeedTheSameMissingCopyReadItOnce() throws Exception {
        SummaryCopies copies = new SummaryCopies();
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeReader counted = new FakeReader(1);
        SummaryCopies.Reader slow = (workspaceId, name, maxBytes) -> {
            reading.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return counted.read(workspaceId, name, maxBytes);
        };
        copies.at(ACME, at(1), slow);

        CompletableFuture<Boolean> first =
                CompletableFuture.supplyAsync(() -> copies.at(ACME, at(1), slow).isPresent());
        reading.await();
        AtomicBoolean secondAnswered = new AtomicBoolean();
        Thread second =
                new Thread(() -> secondAnswered.set(copies.at(ACME, at(1), slow).isPresent()));
        second.start();
        while (second.getState() != Thread.State.WAITING && second.isAlive()) {
            Thread.onSpinWait(); // until it waits for the first search's read
        }
        release.countDown();
        second.join();

        assertThat(first.get()).isTrue();
        assertThat(secondAnswered).isTrue();
        assertThat(counted.reads).hasValue(1);
    }
}
