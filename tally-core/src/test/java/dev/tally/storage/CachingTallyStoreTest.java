package dev.tally.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.auth.Authentication;
import dev.tally.auth.IssuedToken;
import dev.tally.auth.Scope;
import dev.tally.service.AccessService;
import dev.tally.service.WorkspaceService;
import dev.tally.storage.memory.InMemoryTallyStore;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Authentication through the cache: its own writes count at once, other nodes' within the TTL. */
class CachingTallyStoreTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration TTL = Duration.ofSeconds(1);

    private final InMemoryTallyStore backing = new InMemoryTallyStore();
    private final ObservedStore observed = new ObservedStore(backing);
    private final AtomicLong nanos = new AtomicLong(42);
    private final TallyStore cached = new CachingTallyStore(observed.store(), TTL, 10_000, nanos::get);

    private final AccessService access = new AccessService(cached, CLOCK);
    private final WorkspaceService workspaces = new WorkspaceService(cached, access, CLOCK);
    /** Another node on the same database: it writes to the store, not through this node's cache. */
    private final AccessService otherNodeAccess = new AccessService(backing, CLOCK);

    private final WorkspaceService otherNodeWorkspaces = new WorkspaceService(backing, otherNodeAccess, CLOCK);

    private final Workspace workspace = new Workspace(new WorkspaceId("acme"), "Acme", NOW, OptionalLong.empty());

    @BeforeEach
    void createWorkspace() {
        backing.insertWorkspace(workspace);
    }

    @Test
    void tokenRevokedThroughTheCacheIsRefusedAtOnce() {
        IssuedToken issued = access.issue(workspace.id(), Set.of(Scope.WRITE), "ingest");
        assertThat(access.authenticate(issued.secret())).isInstanceOf(Authentication.Authenticated.class);

        assertThat(access.revoke(workspace.id(), issued.token().id())).isTrue();

        assertThat(access.authenticate(issued.secret())).isEqualTo(new Authentication.Revoked());
    }

    @Test
    void workspaceChangedThroughTheCacheIsSeenAtOnce() {
        IssuedToken issued = access.issue(workspace.id(), Set.of(Scope.WRITE), "ingest");
        assertThat(authenticatedWorkspace(issued).rateLimitPerMinute()).isEmpty();

        assertThat(workspaces.setRateLimit(workspace.id(), OptionalLong.of(60))).isTrue();

        assertThat(authenticatedWorkspace(issued).rateLimitPerMinute()).hasValue(60);
    }

    @Test
    void tokenRevokedOnAnotherNodeIsRefusedOnceTheTtlHasPassedAndNotBefore() {
        IssuedToken issued = access.issue(workspace.id(), Set.of(Scope.WRITE), "ingest");
        assertThat(access.authenticate(issued.secret())).isInstanceOf(Authentication.Authenticated.class);

        assertThat(otherNodeAccess.revoke(workspace.id(), issued.token().id())).isTrue();

        nanos.addAndGet(TTL.toNanos() - 1);
        assertThat(access.authenticate(issued.secret())).isInstanceOf(Authentication.Authenticated.class);
        nanos.addAndGet(1);
        assertThat(access.authenticate(issued.secret())).isEqualTo(new Authentication.Revoked());
    }

    @Test
    void workspaceChangedOnAnotherNodeIsSeenOnceTheTtlHasPassedAndNotBefore() {
        IssuedToken issued = access.issue(workspace.id(), Set.of(Scope.WRITE), "ingest");
        assertThat(authenticatedWorkspace(issued).rateLimitPerMinute()).isEmpty();

        assertThat(otherNodeWorkspaces.setRateLimit(workspace.id(), OptionalLong.of(60)))
                .isTrue();

        nanos.addAndGet(TTL.toNanos() - 1);
        assertThat(authenticatedWorkspace(issued).rateLimitPerMinute()).isEmpty();
        nanos.addAndGet(1);
        assertThat(authenticatedWorkspace(issued).rateLimitPerMinute()).hasValue(60);
    }

    @Test
    void unknownTokenIsNotRememberedSoATokenIssuedOnAnotherNodeWorksAtOnce() {
        assertThat(access.authenticate("tally_from-the-other-node")).isEqualTo(new Authentication.Unknown());

        otherNodeAccess.issue(workspace.id(), Set.of(Scope.READ), "elsewhere", "tally_from-the-other-node");

        assertThat(access.authenticate("tally_from-the-other-node")).isInstanceOf(Authentication.Authenticated.class);
    }

    @Test
    void repeatedAuthenticationReadsTheStoreOncePerTtl() {
        IssuedToken issued = access.issue(workspace.id(), Set.of(Scope.WRITE), "ingest");

        for (int i = 0; i < 3; i++) {
            assertThat(access.authenticate(issued.secret())).isInstanceOf(Authentication.Authenticated.class);
        }
        assertThat(observed.calls("findToken")).isEqualTo(1);
        assertThat(observed.calls("findWorkspace")).isEqualTo(1);

        nanos.addAndGet(TTL.toNanos());
        assertThat(access.authenticate(issued.secret())).isInstanceOf(Authentication.Authenticated.class);
        assertThat(observed.calls("findToken")).isEqualTo(2);
        assertThat(observed.calls("findWorkspace")).isEqualTo(2);
    }

    @Test
    void everyAttemptWithAnUnknownTokenAsksTheStore() {
        for (int i = 0; i < 3; i++) {
            assertThat(access.authenticate("tally_guessed")).isEqualTo(new Authentication.Unknown());
        }

        assertThat(observed.calls("findToken")).isEqualTo(3);
    }

    @Test
    void tokenReadWhileARevocationIsBeingWrittenIsNotServedAfterIt() {
        IssuedToken issued = access.issue(workspace.id(), Set.of(Scope.WRITE), "ingest");
        // A request reads the live token after the revocation started and before it committed.
        observed.beforeNext("updateToken", () -> assertThat(access.authenticate(issued.secret()))
                .isInstanceOf(Authentication.Authenticated.class));

        assertThat(access.revoke(workspace.id(), issued.token().id())).isTrue();

        assertThat(access.authenticate(issued.secret())).isEqualTo(new Authentication.Revoked());
    }

    @Test
    void tokenReadJustBeforeARevocationLandedIsNotServedAfterIt() {
        IssuedToken issued = access.issue(workspace.id(), Set.of(Scope.WRITE), "ingest");
        // The revocation commits after this read fetched the live token and before the read keeps
        // it: the read answers with what it saw, but keeps nothing that outlives the revocation.
        observed.afterNext(
                "findToken", () -> access.revoke(workspace.id(), issued.token().id()));
        assertThat(access.authenticate(issued.secret())).isInstanceOf(Authentication.Authenticated.class);

        assertThat(access.authenticate(issued.secret())).isEqualTo(new Authentication.Revoked());
    }

    @Test
    void fullCacheIsEmptiedRatherThanGrown() {
        AccessService smallCache =
                new AccessService(new CachingTallyStore(observed.store(), TTL, 2, nanos::get), CLOCK);
        for (String secret : Set.of("tally_a", "tally_b", "tally_c")) {
            otherNodeAccess.issue(workspace.id(), Set.of(Scope.READ), secret, secret);
        }
        smallCache.authenticate("tally_a");
        smallCache.authenticate("tally_b");
        smallCache.authenticate("tally_a");
        assertThat(observed.calls("findToken")).as("two tokens fit").isEqualTo(2);

        smallCache.authenticate("tally_c");
        smallCache.authenticate("tally_a");

        assertThat(observed.calls("findToken"))
                .as("the third emptied the cache")
                .isEqualTo(4);
    }

    private Workspace authenticatedWorkspace(IssuedToken issued) {
        Authentication authentication = access.authenticate(issued.secret());
        assertThat(authentication).isInstanceOf(Authentication.Authenticated.class);
        return ((Authentication.Authenticated) authentication).workspace();
    }

    /**
     * The store as the cache sees it: every call goes to the in-memory store and is counted by
     * method name, and a write can be slipped in just before or after one call, as a request on
     * another thread might. A JDK proxy rather than a hand-written forwarder of every SPI method.
     */
    private static final class ObservedStore implements InvocationHandler {
        private final TallyStore delegate;
        private final Map<String, Integer> calls = new ConcurrentHashMap<>();
        private final Map<String, Runnable> beforeNext = new ConcurrentHashMap<>();
        private final Map<String, Runnable> afterNext = new ConcurrentHashMap<>();

        ObservedStore(TallyStore delegate) {
            this.delegate = delegate;
        }

        TallyStore store() {
            return (TallyStore)
                    Proxy.newProxyInstance(TallyStore.class.getClassLoader(), new Class<?>[] {TallyStore.class}, this);
        }

        int calls(String method) {
            return calls.getOrDefault(method, 0);
        }

        /** Runs {@code action} once, when {@code method} is next called, before the store runs it. */
        void beforeNext(String method, Runnable action) {
            beforeNext.put(method, action);
        }

        /** Runs {@code action} once, when {@code method} is next called, after the store ran it. */
        void afterNext(String method, Runnable action) {
            afterNext.put(method, action);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            calls.merge(method.getName(), 1, Integer::sum);
            runOnce(beforeNext, method);
            Object result;
            try {
                result = method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            runOnce(afterNext, method);
            return result;
        }

        private static void runOnce(Map<String, Runnable> actions, Method method) {
            Runnable action = actions.remove(method.getName());
            if (action != null) {
                action.run();
            }
        }
    }
}
