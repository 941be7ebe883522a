package dev.tally.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.auth.Authentication;
import dev.tally.auth.Scope;
import dev.tally.storage.memory.InMemoryTallyStore;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WorkspaceServiceTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    private final InMemoryTallyStore store = new InMemoryTallyStore();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final AccessService access = new AccessService(store, clock);
    private final WorkspaceService workspaces = new WorkspaceService(store, access, clock);

    @Test
    void bootstrapWithASecretCreatesTheDefaultWorkspaceWhoseTokenReadsAndWrites() {
        WorkspaceService.Bootstrap bootstrap = workspaces.bootstrap(Optional.of("operator-chosen-secret"));

        assertThat(bootstrap.created()).hasValueSatisfying(workspace -> {
            assertThat(workspace.name()).isEqualTo("default");
            assertThat(workspace.createdAt()).isEqualTo(NOW);
        });
        assertThat(bootstrap.generatedToken()).isEmpty();
        assertThat(workspaces.list()).containsExactly(bootstrap.created().orElseThrow());
        Authentication authentication = access.authenticate("operator-chosen-secret");
        assertThat(authentication).isInstanceOf(Authentication.Authenticated.class);
        Authentication.Authenticated authenticated = (Authentication.Authenticated) authentication;
        assertThat(authenticated.workspace()).isEqualTo(bootstrap.created().orElseThrow());
        assertThat(authenticated.token().scopes()).containsExactlyInAnyOrder(Scope.READ, Scope.WRITE);
    }

    @Test
    void bootstrapWithoutASecretReturnsAGeneratedTokenThatWorks() {
        WorkspaceService.Bootstrap bootstrap = workspaces.bootstrap(Optional.empty());

        assertThat(bootstrap.created()).isPresent();
        assertThat(bootstrap.generatedToken()).isPresent();
        String secret = bootstrap.generatedToken().orElseThrow().secret();
        assertThat(secret).startsWith("tally_");
        Authentication authentication = access.authenticate(secret);
        assertThat(authentication).isInstanceOf(Authentication.Authenticated.class);
        Authentication.Authenticated authenticated = (Authentication.Authenticated) authentication;
        assertThat(authenticated.workspace().name()).isEqualTo("default");
        assertThat(authenticated.token().scopes()).containsExactlyInAnyOrder(Scope.READ, Scope.WRITE);
    }

    @Test
    void secondBootstrapDoesNothing() {
        WorkspaceService.Bootstrap first = workspaces.bootstrap(Optional.of("first-secret"));

        WorkspaceService.Bootstrap second = workspaces.bootstrap(Optional.of("second-secret"));
        WorkspaceService.Bootstrap third = workspaces.bootstrap(Optional.empty());

        assertThat(second.created()).isEmpty();
        assertThat(second.generatedToken()).isEmpty();
        assertThat(third.created()).isEmpty();
        assertThat(third.generatedToken()).isEmpty();
        assertThat(workspaces.list()).containsExactly(first.created().orElseThrow());
        assertThat(access.list(first.created().orElseThrow().id())).hasSize(1);
        assertThat(access.authenticate("second-secret")).isEqualTo(new Authentication.Unknown());
    }

    @Test
    void bootstrapDoesNothingWhenAnyWorkspaceExists() {
        Workspace existing = workspaces.create("acme");

        WorkspaceService.Bootstrap bootstrap = workspaces.bootstrap(Optional.of("secret"));

        assertThat(bootstrap.created()).isEmpty();
        assertThat(workspaces.list()).containsExactly(existing);
        assertThat(access.authenticate("secret")).isEqualTo(new Authentication.Unknown());
    }

    @Test
    void rateLimitCanBeSetAndClearedOnAnExistingWorkspaceOnly() {
        Workspace acme = workspaces.create("acme");

        assertThat(workspaces.setRateLimit(acme.id(), OptionalLong.of(600))).isTrue();
        assertThat(workspaces.find(acme.id()).orElseThrow().rateLimitPerMinute())
                .hasValue(600);
        assertThat(workspaces.setRateLimit(acme.id(), OptionalLong.empty())).isTrue();
        assertThat(workspaces.find(acme.id()).orElseThrow().rateLimitPerMinute())
                .isEmpty();
        assertThat(workspaces.setRateLimit(new WorkspaceId("nope"), OptionalLong.of(1)))
                .isFalse();
    }

    @Test
    void aWorkspaceIsFoundByItsAppIdAtOnceOnTheNodeThatCreatedIt() {
        workspaces.findByAppId(new dev.tally.workspace.AppId("unknown1")); // fills the index, empty
        dev.tally.workspace.Workspace created = workspaces.create("shop");

        assertThat(workspaces.findByAppId(created.browser().appId())).contains(created);
        assertThat(workspaces.findByAppId(new dev.tally.workspace.AppId("unknown2")))
                .isEmpty();
    }

    @Test
    void aWorkspaceCreatedByAnotherNodeIsFoundOnceTheIndexMayBeReadAgain() {
        MutableTestClock time = new MutableTestClock(NOW);
        WorkspaceService node = new WorkspaceService(store, access, time);
        assertThat(node.findByAppId(new dev.tally.workspace.AppId("unknown1"))).isEmpty();
        dev.tally.workspace.Workspace elsewhere = workspaces.create("made-on-another-node");

        // Read again at most once a second: unknown app ids cannot make every call list workspaces.
        assertThat(node.findByAppId(elsewhere.browser().appId())).isEmpty();
        time.now = NOW.plusSeconds(1);
        assertThat(node.findByAppId(elsewhere.browser().appId())).contains(elsewhere);
    }

    @Test
    void callsThatMissTogetherAllFindAWorkspaceTheIndexDidNotHoldYet() throws Exception {
        dev.tally.workspace.Workspace existing = workspaces.create("existing");
        WorkspaceService freshNode = new WorkspaceService(store, access, clock);
        int callers = 16;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            java.util.List<java.util.concurrent.Future<Optional<dev.tally.workspace.Workspace>>> found =
                    new java.util.ArrayList<>();
            for (int i = 0; i < callers; i++) {
                found.add(executor.submit(() -> {
                    go.await();
                    return freshNode.findByAppId(existing.browser().appId());
                }));
            }
            go.countDown();
            for (var result : found) {
                assertThat(result.get()).contains(existing);
            }
        }
    }

    /** A clock a test moves by hand. */
    private static final class MutableTestClock extends Clock {
        Instant now;

        MutableTestClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
