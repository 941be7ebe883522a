package dev.tally.storage.rocksdb;

import static dev.tally.storage.rocksdb.TestingWorkspace.WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contact.ContactId;
import dev.tally.event.DataEvent;
import dev.tally.event.EventId;
import dev.tally.event.EventName;
import dev.tally.metadata.Metadata;
import dev.tally.summary.ContactSummary;
import dev.tally.workspace.Workspace;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index says who did a name and the summaries how often: a page longer than one multi-get of
 * summaries, and one starting in the middle, give every contact once with its current summary.
 */
class RocksDbEventIndexTest {
    private static final EventName VIEWED = new EventName("viewed");

    @TempDir
    Path directory;

    private static DataEvent viewed(String contact, long createdAt) {
        return new DataEvent(EventId.random(), WORKSPACE, new ContactId(contact), VIEWED, createdAt, Metadata.EMPTY);
    }

    @Test
    void pagesAcrossSeveralMultiGetsGiveEachContactsCurrentSummary() {
        try (RocksDbStore store = RocksDbStore.open(directory.resolve("db"))) {
            store.insertWorkspace(new Workspace(WORKSPACE, "Acme", Instant.EPOCH, OptionalLong.empty()));
            int contacts = 2_500;
            List<DataEvent> events = new ArrayList<>();
            for (int i = 0; i < contacts; i++) {
                events.add(viewed(String.format("c%05d", i), 100));
            }
            store.append(events);
            // Every third contact does it twice more, in a later commit.
            List<DataEvent> more = new ArrayList<>();
            for (int i = 0; i < contacts; i += 3) {
                more.add(viewed(String.format("c%05d", i), 200));
                more.add(viewed(String.format("c%05d", i), 300));
            }
            store.append(more);

            List<ContactSummary> all = store.eventIndex(WORKSPACE, VIEWED, Optional.empty(), 10_000);
            assertThat(all).hasSize(contacts);
            for (int i = 0; i < contacts; i++) {
                ContactSummary entry = all.get(i);
                assertThat(entry.contactId().value()).isEqualTo(String.format("c%05d", i));
                assertThat(entry.summary().count()).isEqualTo(i % 3 == 0 ? 3 : 1);
                assertThat(entry.summary().last()).isEqualTo(i % 3 == 0 ? 300 : 100);
            }

            List<ContactSummary> middle =
                    store.eventIndex(WORKSPACE, VIEWED, Optional.of(new ContactId("c01500")), 1_100);
            assertThat(middle).hasSize(1_000).isEqualTo(all.subList(1_500, 2_500));
        }
    }
}
