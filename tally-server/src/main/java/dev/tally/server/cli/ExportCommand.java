package dev.tally.server.cli;

import dev.tally.server.http.ExportApi;
import dev.tally.server.http.UrlText;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tally export}: a workspace's events as NDJSON that {@code tally import} reads back unchanged. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Export events as NDJSON from a running server (needs TALLY_TOKEN).")
final class ExportCommand implements Callable<Integer> {
    @Option(
            names = "--url",
            defaultValue = "${env:TALLY_URL:-http://127.0.0.1:8080}",
            description = "Server URL (TALLY_URL, default ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--user-id", description = "Only this user (external id).")
    Optional<String> userId;

    @Option(names = "--contact", description = "Only this contact (Tally id; for leads).")
    Optional<String> contactId;

    @Option(names = "--from", description = "Only events with created_at >= this (unix seconds).")
    Optional<Long> from;

    @Option(names = "--to", description = "Only events with created_at <= this (unix seconds).")
    Optional<Long> to;

    @Option(
            names = {"-o", "--output"},
            description = "Write here (gzip if it ends in .gz) instead of standard output.")
    Optional<Path> output;

    @Override
    public Integer call() throws IOException, InterruptedException {
        ApiClient client;
        try {
            client = ApiClient.fromEnvironment(url);
        } catch (IllegalArgumentException e) {
            System.err.println("tally export: " + e.getMessage());
            return 2;
        }
        try (client;
                OutputStream out = open()) {
            return new Exporter(client).run(query(), out) ? 0 : 1;
        }
    }

    private OutputStream open() throws IOException {
        if (output.isEmpty()) {
            return new java.io.FilterOutputStream(System.out) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }
        OutputStream file = Files.newOutputStream(output.get());
        return output.get().toString().endsWith(".gz") ? new GZIPOutputStream(file, 1 << 16) : file;
    }

    String query() {
        StringBuilder query = new StringBuilder();
        userId.ifPresent(v -> query.append("&user_id=").append(UrlText.encode(v)));
        contactId.ifPresent(v -> query.append("&intercom_user_id=").append(UrlText.encode(v)));
        from.ifPresent(v -> query.append("&from=").append(v));
        to.ifPresent(v -> query.append("&to=").append(v));
        return query.toString();
    }

    /** Follows the export's cursor to the end, writing every page as it comes. */
    static final class Exporter {
        private final ApiClient client;

        Exporter(ApiClient client) {
            this.client = client;
        }

        boolean run(String query, OutputStream out) throws IOException, InterruptedException {
            Optional<String> cursor = Optional.empty();
            do {
                String path = "/events/export?limit=5000" + query
                        + cursor.map(c -> "&cursor=" + c).orElse("");
                HttpResponse<byte[]> response = client.get(path);
                if (response.statusCode() != 200) {
                    System.err.println("tally export: the server answered " + response.statusCode() + ": "
                            + new String(response.body(), StandardCharsets.UTF_8));
                    return false;
                }
                out.write(response.body());
                cursor = response.headers().firstValue(ExportApi.NEXT_CURSOR_HEADER);
            } while (cursor.isPresent());
            return true;
        }
    }
}
