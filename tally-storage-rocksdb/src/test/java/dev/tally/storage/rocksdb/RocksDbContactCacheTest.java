package dev.tally.storage.rocksdb;

import static dev.tally.storage.rocksdb.TestingWorkspace.WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.Role;
import dev.tally.workspace.Workspace;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Looking a contact up by external id is answered from memory once it has been read; every write
 * that changes the answer is seen by the next lookup, also while lookups race the writes.
 */
class RocksDbContactCacheTest {
    @TempDir
    Path directory;

    private RocksDbStore store;

    @BeforeEach
    void open() {
        store = RocksDbStore.open(directory.resolve("db"));
        store.insertWorkspace(new Workspace(WORKSPACE, "Acme", Instant.EPOCH, OptionalLong.empty()));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Contact contact(String id, String externalId, String name) {
        return new Contact(
                new ContactId(id),
                WORKSPACE,
                Role.USER,
                Optional.of(externalId),
                Optional.empty(),
                Optional.of(name),
                Instant.EPOCH,
                Instant.EPOCH);
    }

    private Optional<String> nameOf(String externalId) {
        return store.findContactByExternalId(WORKSPACE, externalId).flatMap(Contact::name);
    }

    @Test
    void anUpdateIsSeenByTheNextLookup() {
        store.insertContact(contact("c1", "ada", "Ada"));
        assertThat(nameOf("ada")).contains("Ada");
        assertThat(nameOf("ada")).contains("Ada");

        store.updateContact(contact("c1", "ada", "Ada Lovelace"));

        assertThat(nameOf("ada")).contains("Ada Lovelace");
    }

    @Test
    void aChangedExternalIdLeavesTheOldOneUnknown() {
        store.insertContact(contact("c1", "ada", "Ada"));
        assertThat(nameOf("ada")).contains("Ada");

        store.updateContact(contact("c1", "ada-2", "Ada"));

        assertThat(store.findContactByExternalId(WORKSPACE, "ada")).isEmpty();
        assertThat(nameOf("ada-2")).contains("Ada");
    }

    @Test
    void aDeletedContactIsGoneAndItsExternalIdCanBeTakenAgain() {
        store.insertContact(contact("c1", "ada", "Ada"));
        assertThat(nameOf("ada")).contains("Ada");

        store.deleteContact(WORKSPACE, new ContactId("c1"));
        assertThat(store.findContactByExternalId(WORKSPACE, "ada")).isEmpty();

        store.insertContact(contact("c2", "ada", "Another Ada"));
        assertThat(store.findContactByExternalId(WORKSPACE, "ada"))
                .map(Contact::id)
                .contains(new ContactId("c2"));
    }

    @Test
    void aLookupAfterAnUpdateReturnedNeverSeesAnOlderVersion() throws Exception {
        store.insertContact(contact("c1", "ada", "0"));
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        List<String> stale = new ArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> lookups = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                lookups.add(readers.submit(() -> {
                    int count = 0;
                    while (!done.get()) {
                        int floor = acknowledged.get();
                        int seen = Integer.parseInt(nameOf("ada").orElseThrow());
                        if (seen < floor) {
                            synchronized (stale) {
                                stale.add("saw " + seen + " after " + floor + " was acknowledged");
                            }
                        }
                        count++;
                    }
                    return count;
                }));
            }
            for (int version = 1; version <= 300; version++) {
                store.updateContact(contact("c1", "ada", Integer.toString(version)));
                acknowledged.set(version);
                assertThat(nameOf("ada")).contains(Integer.toString(version));
            }
            done.set(true);
            for (Future<Integer> lookup : lookups) {
                assertThat(lookup.get()).isPositive();
            }
        } finally {
            done.set(true);
            readers.shutdownNow();
        }
        assertThat(stale).isEmpty();
    }
}
