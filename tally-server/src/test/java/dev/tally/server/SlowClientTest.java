package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client that stops half-way through its request is cut off after the idle timeout; others are served meanwhile. */
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
}
