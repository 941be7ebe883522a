package dev.tally.server;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL 15 cluster of the test's own, in a temporary directory on a free port, that the
 * test may stop and start (the shared cluster on 5432 is never touched). initdb refuses to run as root,
 * so the cluster belongs to the {@code postgres} user, which needs root to switch to (as CI runs); where
 * that is not possible the test is skipped, saying why.
 */
final class PrivatePostgres implements AutoCloseable {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path directory;
    private final int port;

    private PrivatePostgres(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    static PrivatePostgres start() throws IOException, InterruptedException {
        assumeThat(Files.isExecutable(BIN.resolve("initdb")))
                .as("PostgreSQL 15's initdb is not installed in " + BIN)
                .isTrue();
        assumeThat(System.getProperty("user.name"))
                .as("a private PostgreSQL cluster is made as the postgres user, which needs root")
                .isEqualTo("root");
        Path directory = Files.createTempDirectory("tally-private-pg");
        run(List.of("chown", "postgres", directory.toString()));
        int port = freePort();
        PrivatePostgres cluster = new PrivatePostgres(directory, port);
        cluster.asPostgres(
                BIN.resolve("initdb").toString(),
                "-D",
                directory.resolve("data").toString(),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync");
        cluster.startServer();
        return cluster;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres&connectTimeout=2&socketTimeout=10";
    }

    /** Stops the server at once, as a crash or an operator's immediate shutdown would. */
    void stopImmediately() throws IOException, InterruptedException {
        asPostgres(
                BIN.resolve("pg_ctl").toString(),
                "-D",
                directory.resolve("data").toString(),
                "-m",
                "immediate",
                "-w",
                "stop");
    }

    void startServer() throws IOException, InterruptedException {
        asPostgres(
                BIN.resolve("pg_ctl").toString(),
                "-D",
                directory.resolve("data").toString(),
                "-l",
                directory.resolve("postgres.log").toString(),
                "-o",
                "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1 -c fsync=off",
                "-w",
                "start");
    }

    private void asPostgres(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(List.of(command));
        run(full);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            stopImmediately();
        } catch (IllegalStateException e) {
            // already stopped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
