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
import java.util.concurrent.atomic.AtomicLong;
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
     * unknown app ids sent by anyone cannot make every request list the workspaces). The workspace
     * itself is then read by id, so a rotated secret or changed origins count at once.
     */
    public Optional<Workspace> findByAppId(AppId appId) {
        Optional<Workspace> found = appIds.lookup(appId).flatMap(store::findWorkspace);
        if (found.isPresent() || !appIds.mayRefresh(clock.millis())) {
            return found;
        }
        appIds.replace(store.listWorkspaces());
        return appIds.lookup(appId).flatMap(store::findWorkspace);
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
        private final AtomicLong lastRefresh = new AtomicLong(Long.MIN_VALUE / 2);

        Optional<WorkspaceId> lookup(AppId appId) {
            return Optional.ofNullable(workspaces.get(appId));
        }

        /** True for one caller at most once a second. */
        boolean mayRefresh(long nowMillis) {
            long last = lastRefresh.get();
            return nowMillis - last >= MIN_REFRESH_MILLIS && lastRefresh.compareAndSet(last, nowMillis);
        }

        /** A workspace this node created is found at once, refresh or not. */
        synchronized void add(Workspace workspace) {
            Map<AppId, WorkspaceId> index = new HashMap<>(workspaces);
            index.put(workspace.browser().appId(), workspace.id());
            workspaces = Map.copyOf(index);
        }

        synchronized void replace(List<Workspace> all) {
            Map<AppId, WorkspaceId> index = new HashMap<>();
            all.forEach(workspace -> index.put(workspace.browser().appId(), workspace.id()));
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
