package dev.tally.segment;

import static java.util.Objects.requireNonNull;

import dev.tally.search.ContactField;
import dev.tally.search.Operator;
import dev.tally.search.Query;
import dev.tally.search.Value;
import dev.tally.workspace.WorkspaceId;
import java.time.Instant;

/**
 * A named search. {@code queryJson} is the query as the client wrote it (kept so that it reads
 * back unchanged, relative dates included); {@code query} is its parsed form.
 */
public record Segment(
        SegmentId id,
        WorkspaceId workspaceId,
        String name,
        Query query,
        String queryJson,
        Instant createdAt,
        Instant updatedAt) {
    public static final int MAX_NAME_LENGTH = 255;

    public Segment {
        requireNonNull(id, "id is null");
        requireNonNull(workspaceId, "workspaceId is null");
        requireNonNull(name, "name is null");
        requireNonNull(query, "query is null");
        requireNonNull(queryJson, "queryJson is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
    }

    /**
     * Intercom's {@code person_type}: {@code user} when the query admits users only ({@code role =
     * user} at its top level), otherwise {@code contact}.
     */
    public String personType() {
        Query.Condition usersOnly =
                new Query.Condition(ContactField.ROLE, Operator.EQ, java.util.List.of(new Value.Text("user")));
        boolean users = query.equals(usersOnly)
                || (query instanceof Query.And and && and.terms().contains(usersOnly));
        return users ? "user" : "contact";
    }
}
