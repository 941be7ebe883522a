package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import dev.tally.auth.AccessToken;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;

/** Who is calling, once the Authorization header has been checked against the route's access. */
public sealed interface Caller {
    /** Routes open to all ({@code /health}). */
    record Anonymous() implements Caller {}

    /** The operator, with {@code TALLY_ADMIN_TOKEN}. */
    record Operator() implements Caller {}

    /** A workspace's access token. */
    record Tenant(AccessToken token, Workspace workspace) implements Caller {
        public Tenant {
            requireNonNull(token, "token is null");
            requireNonNull(workspace, "workspace is null");
        }

        public WorkspaceId workspaceId() {
            return workspace.id();
        }
    }
}
