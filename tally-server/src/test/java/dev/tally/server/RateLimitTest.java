package dev.tally.server;

import static dev.tally.server.TestingServer.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.config.RateLimitConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Intercom's limits: calls per minute per workspace, spent in 10-second windows, with the headers clients read. */
class RateLimitTest {
    /** A window boundary: the clock stands at the start of a 10-second window. */
    private static final Instant WINDOW_START = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dataDir;

    TestingServer server;
    final MutableClock clock = new MutableClock(WINDOW_START);

    @AfterEach
    void stop() {
        server.close();
    }

    private void start(RateLimitConfig limit) {
        server = TestingServer.start(TestingServer.config(dataDir).withRateLimit(limit), clock);
    }

    @Test
    void callsBeyondTheWindowsShareAre429WithRetryAfterUntilTheNextWindow() {
        start(new RateLimitConfig(60, Duration.ofSeconds(10)));
        // 60 a minute is 10 per 10-second window; duplicates and errors count too.
        for (int i = 1; i <= 10; i++) {
            HttpResponse<String> response = server.get("/contacts/find_by_external_id/nobody");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("X-RateLimit-Limit")).contains("60");
            assertThat(response.headers().firstValue("X-RateLimit-Remaining")).contains(Integer.toString(10 - i));
            assertThat(response.headers().firstValue("X-RateLimit-Reset"))
                    .contains(Long.toString(WINDOW_START.plusSeconds(10).getEpochSecond()));
        }
        HttpResponse<String> limited = server.get("/contacts/find_by_external_id/nobody");
        assertError(limited, 429, "rate_limit_exceeded");
        assertThat(limited.headers().firstValue("Retry-After")).contains("10");
        assertThat(limited.headers().firstValue("X-RateLimit-Remaining")).contains("0");

        clock.advance(Duration.ofSeconds(10));
        assertThat(server.get("/contacts/find_by_external_id/nobody").statusCode())
                .isEqualTo(404);
    }

    @Test
    void eachWorkspaceHasItsOwnAllowance() {
        start(new RateLimitConfig(6, Duration.ofSeconds(10)));
        String other = server.createWorkspaceToken("other");
        assertThat(server.get("/contacts/find_by_external_id/x").statusCode()).isEqualTo(404);
        assertThat(server.get("/contacts/find_by_external_id/x").statusCode()).isEqualTo(429);
        assertThat(server.get("/contacts/find_by_external_id/x", other).statusCode())
                .isEqualTo(404);
    }

    @Test
    void adminSetsAWorkspacesOwnLimitOrSwitchesItOff() {
        start(new RateLimitConfig(6, Duration.ofSeconds(10)));
        String workspace = TestingServer.json(server.get("/admin/workspaces", TestingServer.ADMIN_TOKEN))
                .get("data")
                .get(0)
                .get("id")
                .asText();
        // Limited before the change, and the workspace now sits in the node's token/workspace cache.
        assertThat(server.get("/contacts/find_by_external_id/x").headers().firstValue("X-RateLimit-Limit"))
                .isPresent();
        HttpResponse<String> patched = server.send(server.request("/admin/workspaces/" + workspace)
                .header("Authorization", "Bearer " + TestingServer.ADMIN_TOKEN)
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"rate_limit_per_minute\":0}"))
                .build());
        assertThat(patched.statusCode()).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = server.get("/contacts/find_by_external_id/x");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("X-RateLimit-Limit")).isEmpty();
        }
    }

    @Test
    void limitsCanBeSwitchedOffForTheWholeServer() {
        start(RateLimitConfig.parse("off"));
        for (int i = 0; i < 30; i++) {
            assertThat(server.get("/contacts/find_by_external_id/x").statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void unauthenticatedCallsCarryNoRateLimitHeaders() {
        start(RateLimitConfig.DEFAULT);
        HttpResponse<String> response = server.get("/events?type=user&user_id=x", "wrong-token");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("X-RateLimit-Limit")).isEmpty();
    }
}
