package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.config.ClientTimeouts;
import dev.tally.server.config.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients are cut off: one that stops half-way through its request after the idle timeout, one that
 * trickles its headers after the header deadline, one that trickles its body once it falls below the minimum
 * rate; others are served meanwhile.
 */
class SlowClientTest {
    @TempDir
    Path dataDir;

    @Test
    void stalledRequestIsClosedAfterTheIdleTimeoutWhileOthersAreServed() throws IOException {
        try (TestingServer server =
                        TestingServer.start(TestingServer.config(dataDir).withIdleTimeout(Duration.ofSeconds(1)));
                Socket stalled = new Socket("127.0.0.1", server.port())) {
            stalled.setSoTimeout(15_000);
            stalled.getOutputStream()
                    .write("POST /events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"event_"
                            .getBytes(StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();

            assertThat(server.send(server.request("/health").GET().build()).statusCode())
                    .isEqualTo(200);

            // The server gives up on the stalled body: it answers (408/400) or closes, well before our 15 s read
            // timeout.
            InputStream in = stalled.getInputStream();
            byte[] answer = in.readAllBytes();
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            assertThat(text.isEmpty() || text.startsWith("HTTP/1.1 4")).as(text).isTrue();
        }
    }

    /** Header deadline 2 s, body grace 1 s then 500 bytes/s; the idle timeout (30 s) never fires in these tests. */
    private ServerConfig quickTimeouts() {
        return TestingServer.config(dataDir)
                .withClientTimeouts(new ClientTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1), 500));
    }

    @Test
    void headersTrickledOneByteEveryHalfSecondAreCutOffAtTheHeaderDeadline() throws Exception {
        try (TestingServer server = TestingServer.start(quickTimeouts());
                Socket slow = new Socket("127.0.0.1", server.port())) {
            write(slow, "GET /health HTTP/1.1\r\nHost: x\r\n");
            Trickle trickle = Trickle.start(slow, "X-Slow: " + "a".repeat(200));
            long closedAfter = awaitClose(slow, Duration.ofSeconds(15));
            trickle.stop();
            assertThat(closedAfter).as("ms until the server closed").isBetween(1_500L, 8_000L);
            assertThat(server.send(server.request("/health").GET().build()).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void bodyTrickledOneByteEveryHalfSecondIsCutOffBelowTheMinimumRate() throws Exception {
        try (TestingServer server = TestingServer.start(quickTimeouts());
                Socket slow = new Socket("127.0.0.1", server.port())) {
            write(
                    slow,
                    "POST /events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestingServer.TOKEN
                            + "\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{");
            Trickle trickle = Trickle.start(slow, "\"event_name\":\"slow\"" + " ".repeat(180));
            long started = System.nanoTime();
            String answer = readAnswer(slow, Duration.ofSeconds(15));
            long closedAfter = (System.nanoTime() - started) / 1_000_000;
            trickle.stop();
            assertThat(answer).as(answer).startsWith("HTTP/1.1 408").contains("request_timeout");
            assertThat(closedAfter).as("ms until the server gave up").isLessThan(8_000L);
        }
    }

    @Test
    void bodyThatPausesWithinItsGraceIsServed() throws Exception {
        try (TestingServer server = TestingServer.start(quickTimeouts());
                Socket socket = new Socket("127.0.0.1", server.port())) {
            server.createUser("u1", "u1@example.com");
            String body = "{\"event_name\":\"paused\",\"created_at\":1700000000,\"user_id\":\"u1\"}";
            write(
                    socket,
                    "POST /events HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
                            + TestingServer.TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.length() + "\r\n\r\n" + body.substring(0, 10));
            Thread.sleep(400); // a slow network's late packet, within the 1 s grace
            write(socket, body.substring(10));
            assertThat(readAnswer(socket, Duration.ofSeconds(15))).startsWith("HTTP/1.1 202");
        }
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Milliseconds until the server closed the connection (end of stream or reset), failing after {@code limit}. */
    private static long awaitClose(Socket socket, Duration limit) throws IOException {
        long started = System.nanoTime();
        readAnswer(socket, limit);
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Whatever the server sends until it closes; fails if it has not closed within {@code limit}. */
    private static String readAnswer(Socket socket, Duration limit) throws IOException {
        socket.setSoTimeout((int) limit.toMillis());
        StringBuilder answer = new StringBuilder();
        byte[] buffer = new byte[4096];
        InputStream in = socket.getInputStream();
        try {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                answer.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the slow connection open for " + limit + "; got: " + answer, e);
        } catch (java.net.SocketException e) {
            // reset by the server: closed
        }
        return answer.toString();
    }

    /** Writes one byte every half second until stopped or the server closes the connection. */
    private static final class Trickle {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        private Trickle(Socket socket, String text) {
            this.thread = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < text.length() && running.get(); i++) {
                        socket.getOutputStream().write(text.charAt(i));
                        socket.getOutputStream().flush();
                        Thread.sleep(500);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server (or by the test): the trickle ends
                }
            });
        }

        static Trickle start(Socket socket, String text) {
            return new Trickle(socket, text);
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(Duration.ofSeconds(5));
        }
    }
}
