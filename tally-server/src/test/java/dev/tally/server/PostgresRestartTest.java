package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.config.DatabaseConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL restarted under load (a private throwaway cluster; the shared one is never touched): while
 * it is down every write is a 503, never a 500 nor a hang; once it is back Tally serves again without
 * being restarted; every event acknowledged is stored exactly once.
 */
class PostgresRestartTest {
    private static final int USERS = 4;
    private static final int SENDERS = 8;

    @TempDir
    Path dataDir;

    @Test
    void writesAre503WhileDownAndRecoverWithoutRestartingTally() throws Exception {
        try (PrivatePostgres postgres = PrivatePostgres.start();
                TestingServer server = TestingServer.start(TestingServer.config(dataDir)
                        .withPostgres(new DatabaseConfig(
                                postgres.jdbcUrl(), Optional.empty(), Optional.empty(), 4, Optional.empty())))) {
            TestingLoad.createUsers(server, USERS);
            long base = TestingLoad.anHourAgo();
            Set<TestingLoad.Event> acked;
            try (TestingLoad load =
                    TestingLoad.start(server, SENDERS, n -> new TestingLoad.Event(n % USERS, "restart", base + n))) {
                acked = load.acked();
                load.awaitAcks(200);

                postgres.stopImmediately();
                int acksAtStop = load.acked().size();
                load.await503s(20);
                assertThat(server.get("/health").statusCode()).isEqualTo(503);

                postgres.startServer();
                load.awaitAcks(acksAtStop + 200);
                assertThat(server.get("/health").statusCode()).isEqualTo(200);
                assertThat(load.unexpected())
                        .as("answers other than 202 and 503")
                        .isEmpty();
            }
            for (int user = 0; user < USERS; user++) {
                int u = user;
                List<TestingLoad.Event> listed = TestingLoad.storedEvents(server, user);
                Set<TestingLoad.Event> stored = Set.copyOf(listed);
                assertThat(listed).as("each event stored once").hasSize(stored.size());
                // Acknowledged events are all there; the ones that got a 503 may be there too (the commit
                // may have succeeded as the connection broke), but each at most once, as checked above.
                assertThat(stored)
                        .containsAll(acked.stream().filter(a -> a.user() == u).toList());
                int count = TestingServer.json(
                                server.get("/events?type=user&user_id=" + TestingLoad.userId(user) + "&summary=true"))
                        .get("events")
                        .get(0)
                        .get("count")
                        .asInt();
                assertThat(count)
                        .as("the summary counts each stored event once")
                        .isEqualTo(stored.size());
            }
        }
    }
}
