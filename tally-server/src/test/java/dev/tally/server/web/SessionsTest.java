package dev.tally.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.auth.TokenHash;
import dev.tally.server.MutableClock;
import dev.tally.workspace.WorkspaceId;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionsTest {
    private static final WorkspaceId WORKSPACE = new WorkspaceId("w1");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
    private final Sessions sessions = new Sessions(clock);

    @Test
    void aSessionHasRandomIdsAndCsrfTokensAndLivesTwelveHours() {
        Session session = open();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Session other = open();
            assertThat(seen.add(other.id())).isTrue();
            assertThat(other.csrfToken()).isNotEqualTo(other.id()).hasSize(43);
        }
        assertThat(session.id()).hasSize(43).matches("[A-Za-z0-9_-]+");

        clock.advance(Sessions.LIFETIME.minusSeconds(1));
        assertThat(sessions.find(session.id())).contains(session);
        clock.advance(Duration.ofSeconds(1));
        assertThat(sessions.find(session.id())).isEmpty();
    }

    @Test
    void closingASessionEndsItAtOnce() {
        Session session = open();
        sessions.close(session.id());
        assertThat(sessions.find(session.id())).isEmpty();
    }

    @Test
    void theCsrfTokenMustMatchExactly() {
        Session session = open();
        assertThat(Sessions.csrfMatches(session, Optional.of(session.csrfToken())))
                .isTrue();
        assertThat(Sessions.csrfMatches(session, Optional.of(session.csrfToken() + "x")))
                .isFalse();
        assertThat(Sessions.csrfMatches(session, Optional.of(""))).isFalse();
        assertThat(Sessions.csrfMatches(session, Optional.empty())).isFalse();
    }

    @Test
    void aFullNodeDropsExpiredSessionsBeforeRefusingNewOnes() {
        for (int i = 0; i < Sessions.MAX_SESSIONS; i++) {
            open();
        }
        assertThat(sessions.open(Optional.of(TokenHash.of("secret-0123456789")), false, true, WORKSPACE))
                .isEmpty();
        clock.advance(Sessions.LIFETIME);
        assertThat(sessions.open(Optional.of(TokenHash.of("secret-0123456789")), false, true, WORKSPACE))
                .isPresent();
        assertThat(sessions.size()).isEqualTo(1);
    }

    private Session open() {
        return sessions.open(Optional.of(TokenHash.of("secret-0123456789")), false, false, WORKSPACE)
                .orElseThrow();
    }
}
