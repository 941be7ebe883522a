package dev.tally.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.catalog.CatalogEntry;
import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.Role;
import dev.tally.event.DataEvent;
import dev.tally.event.EventId;
import dev.tally.event.EventName;
import dev.tally.metadata.Metadata;
import dev.tally.metadata.MetadataValue;
import dev.tally.summary.ContactSummary;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** A store written before the event catalog existed gets its catalog and index built at open. */
class EventCatalogBackfillTest {
    @TempDir
    Path directory;

    @Test
    void aStoreWithoutCatalogGetsItBuiltFromTheSummariesAtOpen() throws Exception {
        Path db = directory.resolve("db");
        WorkspaceId workspaceId = WorkspaceId.random();
        List<CatalogEntry> catalogBefore;
        List<ContactSummary> indexBefore;
        try (RocksDbStore store = RocksDbStore.open(db)) {
            store.insertWorkspace(new Workspace(workspaceId, "w", Instant.EPOCH, OptionalLong.empty()));
            for (String id : List.of("c1", "c2")) {
                store.insertContact(new Contact(
                        new ContactId(id),
                        workspaceId,
                        Role.LEAD,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Instant.EPOCH,
                        Instant.EPOCH));
            }
            store.append(List.of(
                    event(workspaceId, "c1", 10, Map.of("price", new MetadataValue.StringValue("x"))),
                    event(workspaceId, "c1", 20, Map.of()),
                    event(workspaceId, "c2", 5, Map.of())));
            catalogBefore = store.catalog(workspaceId);
            indexBefore = store.eventIndex(workspaceId, new EventName("viewed"), Optional.empty(), 10);
        }
        forgetCatalogAndIndex(db);
        try (RocksDbStore store = RocksDbStore.open(db)) {
            assertThat(store.eventIndex(workspaceId, new EventName("viewed"), Optional.empty(), 10))
                    .isEqualTo(indexBefore);
            CatalogEntry rebuilt = store.catalog(workspaceId).get(0);
            CatalogEntry before = catalogBefore.get(0);
            assertThat(rebuilt.count()).isEqualTo(before.count()).isEqualTo(3);
            assertThat(rebuilt.contacts()).isEqualTo(before.contacts()).isEqualTo(2);
            assertThat(rebuilt.firstSeen()).isEqualTo(5);
            assertThat(rebuilt.lastSeen()).isEqualTo(20);
            // Key types come from events, which the backfill does not read: known keys, types unknown.
            assertThat(rebuilt.keys()).containsExactly(Map.entry("price", Set.of()));
        }
    }

    private static DataEvent event(
            WorkspaceId workspaceId, String contact, long createdAt, Map<String, MetadataValue> metadata) {
        return new DataEvent(
                EventId.random(),
                workspaceId,
                new ContactId(contact),
                new EventName("viewed"),
                createdAt,
                new Metadata(metadata));
    }

    /** What a store of before the catalog looks like: the two column families empty. */
    private static void forgetCatalogAndIndex(Path path) throws Exception {
        List<byte[]> families;
        try (Options options = new Options()) {
            families = RocksDB.listColumnFamilies(options, path.toString());
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        families.forEach(name -> descriptors.add(new ColumnFamilyDescriptor(name)));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions();
                RocksDB db = RocksDB.open(options, path.toString(), descriptors, handles)) {
            for (int i = 0; i < families.size(); i++) {
                String name = new String(families.get(i), StandardCharsets.US_ASCII);
                if (name.equals("event_catalog") || name.equals("event_index")) {
                    db.deleteRange(handles.get(i), new byte[0], new byte[] {(byte) 0xFF, (byte) 0xFF});
                }
            }
            handles.forEach(ColumnFamilyHandle::close);
        }
    }
}
