package dev.tally.event;

import static java.util.Objects.requireNonNull;

import dev.tally.contact.ContactId;
import dev.tally.metadata.Metadata;
import dev.tally.workspace.WorkspaceId;

/**
 * A stored event. Its identity for de-duplication is (workspace, contact, name, createdAt); the
 * first event with that identity wins, metadata included.
 */
public record DataEvent(
        EventId id, WorkspaceId workspaceId, ContactId contactId, EventName name, long createdAt, Metadata metadata) {
    public DataEvent {
        requireNonNull(id, "id is null");
        requireNonNull(workspaceId, "workspaceId is null");
        requireNonNull(contactId, "contactId is null");
        requireNonNull(name, "name is null");
        requireNonNull(metadata, "metadata is null");
        if (createdAt < 0) {
            throw new IllegalArgumentException("createdAt must be >= 0");
        }
    }

    public EventKey key() {
        return new EventKey(workspaceId, contactId, name, createdAt);
    }

    public DataEvent withMetadata(Metadata replacement) {
        return new DataEvent(id, workspaceId, contactId, name, createdAt, replacement);
    }
}
