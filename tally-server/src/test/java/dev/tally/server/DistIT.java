package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball ({@code ./tally dist}) unpacked and started with no {@code java} on the PATH and
 * no JAVA_HOME: its own jlink'd runtime serves events. jlink takes a while, so this is one test that
 * builds the tarball once.
 */
class DistIT {
    @TempDir
    Path temp;

    @Test
    void theReleaseRunsOnItsOwnRuntimeWithNoJavaOnThePath() throws Exception {
        Path jdk = Path.of(System.getProperty("java.home"));
        assumeThat(Files.isExecutable(jdk.resolve("bin/jlink")))
                .as("the JDK running the tests has no jlink: " + jdk)
                .isTrue();
        Path repository = Path.of("..").toAbsolutePath().normalize();
        Path output = temp.resolve("out");
        Process make = new ProcessBuilder(
                        repository.resolve("dist/make-dist").toString(), jdk.toString(), output.toString())
                .redirectErrorStream(true)
                .start();
        String made = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(make.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(make.exitValue()).as(made).isZero();
        List<Path> tarballs;
        try (Stream<Path> files = Files.list(output)) {
            tarballs = files.toList();
        }
        assertThat(tarballs).singleElement().satisfies(t -> assertThat(
                        t.getFileName().toString())
                .matches("tally-[0-9][^/]*-linux-x64\\.tar\\.gz"));

        Path unpacked = temp.resolve("opt");
        Files.createDirectories(unpacked);
        assertThat(new ProcessBuilder(
                                "tar",
                                "-C",
                                unpacked.toString(),
                                "-xzf",
                                tarballs.get(0).toString())
                        .inheritIO()
                        .start()
                        .waitFor())
                .isZero();
        Path release;
        try (Stream<Path> dirs = Files.list(unpacked)) {
            release = dirs.findFirst().orElseThrow();
        }
        assertThat(release.resolve("systemd/tally.service")).isRegularFile();
        assertThat(release.resolve("docs/README.md")).isRegularFile();
        assertThat(release.resolve("runtime/bin/java")).isExecutable();

        // A PATH with only what the launcher's shell needs: no java anywhere on it.
        Path bin = temp.resolve("path-bin");
        Files.createDirectories(bin);
        Files.createSymbolicLink(bin.resolve("dirname"), Path.of("/usr/bin/dirname"));
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(
                        release.resolve("bin/tally").toString(),
                        "serve",
                        "--port",
                        Integer.toString(port),
                        "--host",
                        "127.0.0.1",
                        "--data-dir",
                        temp.resolve("data").toString())
                .redirectErrorStream(true)
                .redirectOutput(temp.resolve("server.log").toFile());
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("PATH", bin.toString());
        environment.put("TALLY_BOOTSTRAP_TOKEN", TestingServer.TOKEN);
        Process server = builder.start();
        try (HttpClient client = HttpClient.newHttpClient()) {
            awaitHealthy(client, port, server);
            HttpResponse<String> contact = post(client, port, "/contacts", "{\"external_id\":\"dist-1\"}");
            assertThat(contact.statusCode()).as(contact.body()).isEqualTo(200);
            HttpResponse<String> event = post(
                    client,
                    port,
                    "/events",
                    "{\"event_name\":\"unpacked\",\"created_at\":" + (System.currentTimeMillis() / 1000)
                            + ",\"user_id\":\"dist-1\"}");
            assertThat(event.statusCode()).as(event.body()).isEqualTo(202);
            HttpResponse<String> listed = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events?type=user&user_id=dist-1"))
                            .header("Authorization", "Bearer " + TestingServer.TOKEN)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(listed.body()).contains("\"event_name\":\"unpacked\"");
        } finally {
            server.toHandle().destroy();
            server.waitFor(30, TimeUnit.SECONDS);
            server.destroyForcibly();
        }
        assertThat(Files.readString(temp.resolve("server.log"))).contains("stopped; store closed");
    }

    private static void awaitHealthy(HttpClient client, int port, Process server) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(server.isAlive())
                    .as("the release exited: "
                            + new String(server.getInputStream().readAllBytes()))
                    .isTrue();
            try {
                HttpResponse<String> health = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the release did not become healthy within 60 s");
    }

    private static HttpResponse<String> post(HttpClient client, int port, String path, String body)
            throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + TestingServer.TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
