package dev.tally.service;

import static java.util.Objects.requireNonNull;

import dev.tally.auth.IssuedToken;
import dev.tally.auth.Scope;
import dev.tally.storage.TallyStore;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** Creates and lists workspaces, and gives an empty store its first workspace. */
public final class WorkspaceService {
    public static final String BOOTSTRAP_WORKSPACE_NAME = "default";

    private final TallyStore store;
    private final AccessService access;
    private final Clock clock;

    public WorkspaceService(TallyStore store, AccessService access, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.access = requireNonNull(access, "access is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public Workspace create(String name) {
        Workspace workspace = new Workspace(WorkspaceId.random(), name, clock.instant(), OptionalLong.empty());
        store.insertWorkspace(workspace);
        return workspace;
    }

    public List<Workspace> list() {
        return store.listWorkspaces();
    }

    public Optional<Workspace> find(WorkspaceId id) {
        return store.findWorkspace(id);
    }

    /** Sets or clears (empty) a workspace's own rate limit; false if there is no such workspace. */
    public boolean setRateLimit(WorkspaceId id, OptionalLong perMinute) {
        return store.findWorkspace(id)
                .map(workspace -> store.updateWorkspace(workspace.withRateLimitPerMinute(perMinute)))
                .orElse(false);
    }

    /** What bootstrapping did: nothing (the store had workspaces), or created the default workspace. */
    public record Bootstrap(Optional<Workspace> created, Optional<IssuedToken> generatedToken) {
        public Bootstrap {
            requireNonNull(created, "created is null");
            requireNonNull(generatedToken, "generatedToken is null");
        }
    }

    /**
     * On a store with no workspace, creates {@code default} with a read+write token: the operator's
     * {@code bootstrapSecret} if given, else a generated one the caller prints once.
     */
    public Bootstrap bootstrap(Optional<String> bootstrapSecret) {
        if (!store.listWorkspaces().isEmpty()) {
            return new Bootstrap(Optional.empty(), Optional.empty());
        }
        Workspace workspace = create(BOOTSTRAP_WORKSPACE_NAME);
        Set<Scope> scopes = Set.of(Scope.READ, Scope.WRITE);
        if (bootstrapSecret.isPresent()) {
            access.issue(workspace.id(), scopes, "bootstrap", bootstrapSecret.get());
            return new Bootstrap(Optional.of(workspace), Optional.empty());
        }
        return new Bootstrap(Optional.of(workspace), Optional.of(access.issue(workspace.id(), scopes, "bootstrap")));
    }
}
