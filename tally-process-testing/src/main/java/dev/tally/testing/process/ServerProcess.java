package dev.tally.testing.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The packaged server jar (system property {@code tally.server.jar}) in its own JVM, started as the
 * launcher starts it, on a free port of 127.0.0.1, so tests can talk to it as a user does and kill it
 * for real. Used by tally-server's integration tests and by tally-client-compat.
 */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
        this.reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
    }

    /**
     * Starts the server over {@code dataDir} with {@code bootstrapToken} as its first token and the
     * extra {@code environment}, and returns once {@code /health} answers 200.
     */
    public static ServerProcess start(Path dataDir, String bootstrapToken, Map<String, String> environment)
            throws IOException, InterruptedException {
        ServerProcess server = launch(dataDir, bootstrapToken, environment);
        server.awaitHealthy(Duration.ofSeconds(60));
        return server;
    }

    /** Starts the server like {@link #start} but returns at once, while it is still opening its store. */
    public static ServerProcess launch(Path dataDir, String bootstrapToken, Map<String, String> environment)
            throws IOException {
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        String jar = System.getProperty("tally.server.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException(
                    "the server jar is not built: " + jar + " (this test runs in the integration-test phase)");
        }
        ProcessBuilder builder = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        // C1 only: a test's server lives seconds, and starts faster without C2 (the crash
                        // test starts it some fifty times).
                        "-XX:TieredStopAtLevel=1",
                        "--enable-native-access=ALL-UNNAMED",
                        "-jar",
                        jar,
                        "serve",
                        "--port",
                        Integer.toString(port),
                        "--host",
                        "127.0.0.1",
                        "--data-dir",
                        dataDir.toString(),
                        "--rate-limit",
                        "off")
                .redirectErrorStream(true);
        builder.environment().put("TALLY_BOOTSTRAP_TOKEN", bootstrapToken);
        builder.environment().put("TALLY_ACCESS_LOG", "WARN");
        builder.environment().putAll(environment);
        return new ServerProcess(builder.start(), port);
    }

    public int port() {
        return port;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Process process() {
        return process;
    }

    /** What the server printed so far, line by line. */
    public List<String> output() {
        return List.copyOf(output);
    }

    /** Waits until {@code /health} answers 200; throws if the server exits or the time runs out. */
    public void awaitHealthy(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        try (HttpClient client = HttpClient.newHttpClient()) {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "Tally exited with " + process.exitValue() + ":\n" + String.join("\n", output));
                }
                try {
                    HttpResponse<String> response = client.send(
                            HttpRequest.newBuilder(uri().resolve("/health"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet: poll again
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException(
                "Tally did not become healthy in " + timeout + ":\n" + String.join("\n", output));
    }

    /** SIGKILL: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: the shutdown hook stops Jetty gracefully and closes the store. Returns the exit code. */
    public int terminate() throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of the output pipe, and the
        // lines the server logs while it shuts down would be lost.
        process.toHandle().destroy();
        int exit = process.waitFor();
        reader.join(Duration.ofSeconds(10));
        return exit;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Kills the server if it still runs, and waits until it is gone (its files may be deleted next). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
