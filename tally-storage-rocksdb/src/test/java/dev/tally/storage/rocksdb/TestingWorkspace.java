package dev.tally.storage.rocksdb;

import dev.tally.contact.Contact;
import dev.tally.contact.ContactId;
import dev.tally.contact.Role;
import dev.tally.event.DataEvent;
import dev.tally.event.EventId;
import dev.tally.event.EventName;
import dev.tally.metadata.Metadata;
import dev.tally.metadata.MetadataValue;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** The workspace {@code acme} with its one lead, Ada: what the RocksDB-specific tests append events for. */
final class TestingWorkspace {
    static final WorkspaceId WORKSPACE = new WorkspaceId("acme");
    static final Contact ADA = new Contact(
            new ContactId("c1"),
            WORKSPACE,
            Role.LEAD,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Instant.EPOCH,
            Instant.EPOCH);

    private TestingWorkspace() {}

    /** Inserts the workspace and its lead. */
    static void insertInto(RocksDbStore store) {
        store.insertWorkspace(new Workspace(WORKSPACE, "Acme", Instant.EPOCH, OptionalLong.empty()));
        store.insertContact(ADA);
    }

    /** A new event of Ada's (a fresh id each call). */
    static DataEvent event(String name, long createdAt, Map<String, MetadataValue> metadata) {
        return new DataEvent(
                EventId.random(), WORKSPACE, ADA.id(), EventName.of(name), createdAt, new Metadata(metadata));
    }
}
