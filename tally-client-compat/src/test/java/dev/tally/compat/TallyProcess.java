package dev.tally.compat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** The built server jar, started as a user starts it, on a free port with a fresh data directory. */
final class TallyProcess implements AutoCloseable {
    static final String TOKEN = "compat-bootstrap-token-0123456789";

    private final Process process;
    private final int port;
    private final Path log;

    private TallyProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static TallyProcess start(Path dataDir) throws IOException, InterruptedException {
        String jar = System.getProperty("tally.server.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException(
                    "tally.server.jar is not built: " + jar + " (run ./mvnw verify from the root)");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = dataDir.resolve("server.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(
                        java,
                        "-jar",
                        jar,
                        "serve",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        Integer.toString(port),
                        "--data-dir",
                        dataDir.resolve("data").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("TALLY_BOOTSTRAP_TOKEN", TOKEN);
        TallyProcess tally = new TallyProcess(builder.start(), port, log);
        tally.awaitHealthy();
        return tally;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        try (HttpClient client = HttpClient.newHttpClient()) {
            poll(client, deadline);
        }
    }

    private void poll(HttpClient client, Instant deadline) throws IOException, InterruptedException {
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Tally exited: " + Files.readString(log));
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
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("Tally did not start: " + Files.readString(log));
    }

    /** Creates a user the way an application would, with a plain HTTP call. */
    void createUser(String externalId, String email) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newHttpClient()) {
            response = client.send(
                    HttpRequest.newBuilder(uri().resolve("/contacts"))
                            .header("Authorization", "Bearer " + TOKEN)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"user\",\"external_id\":\""
                                    + externalId + "\",\"email\":\"" + email + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("could not create a user: " + response.body());
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
