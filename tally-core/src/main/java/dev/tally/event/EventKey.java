package dev.tally.event;

import static java.util.Objects.requireNonNull;

import dev.tally.contact.ContactId;
import dev.tally.workspace.WorkspaceId;

/** What makes two events the same event: workspace, contact, normalized name and created_at. */
public record EventKey(WorkspaceId workspaceId, ContactId contactId, EventName name, long createdAt) {
    public EventKey {
        requireNonNull(workspaceId, "workspaceId is null");
        requireNonNull(contactId, "contactId is null");
        requireNonNull(name, "name is null");
    }
}
