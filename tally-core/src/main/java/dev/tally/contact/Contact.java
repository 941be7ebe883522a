package dev.tally.contact;

import static java.util.Objects.requireNonNull;

import dev.tally.workspace.WorkspaceId;
import java.time.Instant;
import java.util.Optional;

/** A user or lead of a workspace. */
public record Contact(
        ContactId id,
        WorkspaceId workspaceId,
        Role role,
        Optional<String> externalId,
        Optional<String> email,
        Optional<String> name,
        Instant createdAt,
        Instant updatedAt) {
    public Contact {
        requireNonNull(id, "id is null");
        requireNonNull(workspaceId, "workspaceId is null");
        requireNonNull(role, "role is null");
        requireNonNull(externalId, "externalId is null");
        requireNonNull(email, "email is null");
        requireNonNull(name, "name is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
    }
}
