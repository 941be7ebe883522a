package dev.tally.server.web;

import static java.util.Objects.requireNonNull;

import dev.tally.auth.TokenHash;
import dev.tally.workspace.WorkspaceId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's sessions, in this node's memory: a restart signs everyone out, and behind a load
 * balancer each node knows only the sessions signed in through it (use sticky sessions, or sign in
 * again; see docs/security.md). Ids and CSRF tokens are 256 random bits each. A session lives
 * {@link #LIFETIME} from sign-in; sign-out deletes it at once.
 */
public final class Sessions {
    public static final Duration LIFETIME = Duration.ofHours(12);

    /** More sessions than this and new sign-ins first drop the expired, then are refused. */
    static final int MAX_SESSIONS = 10_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    public Sessions(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A new session; empty when the node already holds {@link #MAX_SESSIONS} live ones. */
    Optional<Session> open(Optional<TokenHash> tokenHash, boolean admin, boolean canWrite, WorkspaceId workspaceId) {
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().removeIf(session -> expired(session));
            if (sessions.size() >= MAX_SESSIONS) {
                return Optional.empty();
            }
        }
        Session session = new Session(
                randomToken(),
                randomToken(),
                tokenHash,
                admin,
                canWrite,
                workspaceId,
                clock.instant().plus(LIFETIME));
        sessions.put(session.id(), session);
        return Optional.of(session);
    }

    Optional<Session> find(String id) {
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (expired(session)) {
            sessions.remove(id, session);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    void replace(Session session) {
        sessions.replace(session.id(), session);
    }

    void close(String id) {
        sessions.remove(id);
    }

    int size() {
        return sessions.size();
    }

    /** Whether {@code presented} is the session's CSRF token, compared in constant time. */
    static boolean csrfMatches(Session session, Optional<String> presented) {
        return presented.isPresent()
                && MessageDigest.isEqual(
                        session.csrfToken().getBytes(StandardCharsets.US_ASCII),
                        presented.get().getBytes(StandardCharsets.UTF_8));
    }

    private boolean expired(Session session) {
        return !clock.instant().isBefore(session.expiresAt());
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
