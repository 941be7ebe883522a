package dev.tally.service;

import static java.util.Objects.requireNonNull;

import dev.tally.auth.IssuedToken;
import dev.tally.auth.Scope;
import dev.tally.storage.TallyStore;
import dev.tally.workspace.AppId;
import dev.tally.workspace.BrowserSettings;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Creates and lists workspaces, and gives an empty store its first workspace. */
public final class WorkspaceService {
    public static final String BOOTSTRAP_WORKSPACE_NAME = "default";

    private final TallyStore store;
    private final AccessService access;
    private final Clock clock;
    private final AppIdIndex appIds = new AppIdIndex();

    public WorkspaceService(TallyStore store, AccessService access, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.access = requireNonNull(access, "access is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public Workspace create(String name) {
        Set<AppId> taken = new HashSet<>();
        store.listWorkspaces().forEach(existing -> taken.add(existing.browser().appId()));
        BrowserSettings browser = BrowserSettings.generate();
        while (taken.contains(browser.appId())) {
            browser = BrowserSettings.generate();
        }
        Workspace workspace = new Workspace(WorkspaceId.random(), name, clock.instant(), OptionalLong.empty(), browser);
        store.insertWorkspace(workspace);
        appIds.add(workspace);
        return workspace;
    }

    /**
     * The workspace whose public app id this is. App ids never change and workspaces are few, so
     * the index of app ids is a snapshot of {@link TallyStore#listWorkspaces()}, read again on a miss
     * at most once a second (a workspace created on another node is found within a second, and
     * unknown app ids sent by anyone cannot make every request list the workspaces); calls that miss
     * meanwhile wait for that read rather than miss too. The workspace itself is then read by id, so
     * a rotated secret or changed origins count at once.
     */
    public Optional<Workspace> findByAppId(AppId appId) {
        Optional<WorkspaceId> id = appIds.lookup(appId);
        if (id.isEmpty()) {
            id = appIds.lookupAfterRefresh(appId, clock.millis(), store::listWorkspaces);
        }
        return id.flatMap(store::findWorkspace);
    }

    /** Changes a workspace's browser settings; empty if there is no such workspace. */
    public Optional<Workspace> updateBrowser(WorkspaceId id, UnaryOperator<BrowserSettings> change) {
        Optional<Workspace> workspace = store.findWorkspace(id);
        if (workspace.isEmpty()) {
            return Optional.empty();
        }
        Workspace updated =
                workspace.get().withBrowser(change.apply(workspace.get().browser()));
        return store.updateWorkspace(updated) ? Optional.of(updated) : Optional.empty();
    }

    /** App id to workspace id, refreshed wholesale. */
    private static final class AppIdIndex {
        private static final long MIN_REFRESH_MILLIS = 1_000;

        private volatile Map<AppId, WorkspaceId> workspaces = Map.of();
        private long lastRefresh = Long.MIN_VALUE / 2;

        Optional<WorkspaceId> lookup(AppId appId) {
            return Optional.ofNullable(workspaces.get(appId));
        }

        /** Looks again after reading every workspace, unless that was done less than a second ago. */
        synchronized Optional<WorkspaceId> lookupAfterRefresh(
                AppId appId, long nowMillis, java.util.function.Supplier<List<Workspace>> all) {
            Optional<WorkspaceId> found = lookup(appId);
            if (found.isPresent() || nowMillis - lastRefresh < MIN_REFRESH_MILLIS) {
                return found;
            }
            lastRefresh = nowMillis;
            Map<AppId, WorkspaceId> index = new HashMap<>();
            all.get().forEach(workspace -> index.put(workspace.browser().appId(), workspace.id()));
            workspaces = Map.copyOf(index);
            return lookup(appId);
        }

        /** A workspace this node created is found at once, refresh or not. */
        synchronized void add(Workspace workspace) {
            Map<AppId, WorkspaceId> index = new HashMap<>(workspaces);
            index.put(workspace.browser().appId(), workspace.id());
            workspaces = Map.copyOf(index);
        }
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
