package dev.tally.auth;

import static java.util.Objects.requireNonNull;

import dev.tally.workspace.Workspace;

/** The answer to "who is this token": a live token of a workspace, an unknown secret, or a revoked token. */
public sealed interface Authentication {
    record Authenticated(AccessToken token, Workspace workspace) implements Authentication {
        public Authenticated {
            requireNonNull(token, "token is null");
            requireNonNull(workspace, "workspace is null");
        }
    }

    record Unknown() implements Authentication {}

    record Revoked() implements Authentication {}
}
