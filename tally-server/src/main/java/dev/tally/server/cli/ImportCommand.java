package dev.tally.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.json.TallyJson;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tally import FILE}: streams NDJSON events (gzip is detected) to a running server through
 * the batch endpoint. Duplicates are accepted and not stored again, so re-running an import is safe.
 * Rejected lines go, unchanged, to {@code FILE.rejected.ndjson} to fix and re-import; their errors to
 * {@code FILE.rejected.errors}.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = "Import events from an NDJSON file (optionally gzip) into a running server (needs TALLY_TOKEN).")
final class ImportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE")
    Path file;

    @Option(
            names = "--url",
            defaultValue = "${env:TALLY_URL:-http://127.0.0.1:8080}",
            description = "Server URL (TALLY_URL, default ${DEFAULT-VALUE}).")
    String url;

    @Option(
            names = "--batch-size",
            defaultValue = "500",
            description = "Events per request (max 1000, default ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (batchSize < 1 || batchSize > 1000) {
            System.err.println("tally import: --batch-size must be 1-1000");
            return 2;
        }
        if (!Files.isRegularFile(file)) {
            System.err.println("tally import: no such file " + file);
            return 2;
        }
        ApiClient client;
        try {
            client = ApiClient.fromEnvironment(url);
        } catch (IllegalArgumentException e) {
            System.err.println("tally import: " + e.getMessage());
            return 2;
        }
        try (client) {
            Importer.Totals totals = new Importer(client, batchSize, Progress.forTerminal(System.err, Files.size(file)))
                    .run(file, rejectedPath(file), errorsPath(file));
            System.err.println(totals.summary(rejectedPath(file)));
            return totals.failed() ? 1 : 0;
        }
    }

    static Path rejectedPath(Path file) {
        return file.resolveSibling(file.getFileName() + ".rejected.ndjson");
    }

    static Path errorsPath(Path file) {
        return file.resolveSibling(file.getFileName() + ".rejected.errors");
    }

    /** Reads, batches, sends and tallies; separate from the command so tests drive it directly. */
    static final class Importer {
        private final ApiClient client;
        private final int batchSize;
        private final Progress progress;

        Importer(ApiClient client, int batchSize, Progress progress) {
            this.client = client;
            this.batchSize = batchSize;
            this.progress = progress;
        }

        /** What the import did. {@code failed} when a batch as a whole could not be delivered. */
        record Totals(long accepted, long duplicates, long rejected, boolean failed, String failure) {
            String summary(Path rejectedFile) {
                String line =
                        "imported: " + accepted + " accepted, " + duplicates + " duplicate, " + rejected + " rejected";
                if (rejected > 0) {
                    line += "\nrejected events are in " + rejectedFile
                            + " (errors beside it); fix them and import that file";
                }
                if (failed) {
                    line += "\nstopped: " + failure;
                }
                return line;
            }
        }

        Totals run(Path file, Path rejectedFile, Path errorsFile) throws IOException, InterruptedException {
            long accepted = 0;
            long duplicates = 0;
            long rejected = 0;
            Files.deleteIfExists(rejectedFile);
            Files.deleteIfExists(errorsFile);
            try (CountingInputStream counted = new CountingInputStream(Files.newInputStream(file));
                    BufferedReader reader =
                            new BufferedReader(new InputStreamReader(decompressed(counted), StandardCharsets.UTF_8));
                    Writer rejects = Files.newBufferedWriter(rejectedFile, StandardCharsets.UTF_8);
                    Writer errors = Files.newBufferedWriter(errorsFile, StandardCharsets.UTF_8)) {
                List<String> batch = new ArrayList<>(batchSize);
                String line;
                boolean more = true;
                while (more) {
                    line = reader.readLine();
                    more = line != null;
                    if (more && !line.isBlank()) {
                        batch.add(line);
                    }
                    if (batch.size() == batchSize || (!more && !batch.isEmpty())) {
                        HttpResponse<byte[]> response = client.post(
                                "/events/batch",
                                "application/x-ndjson",
                                String.join("\n", batch).getBytes(StandardCharsets.UTF_8));
                        if (response.statusCode() != 200) {
                            progress.finish();
                            return new Totals(
                                    accepted,
                                    duplicates,
                                    rejected,
                                    true,
                                    "the server answered " + response.statusCode() + ": "
                                            + new String(response.body(), StandardCharsets.UTF_8));
                        }
                        JsonNode result = TallyJson.mapper().readTree(response.body());
                        accepted += result.get("accepted").asLong();
                        duplicates += result.get("duplicates").asLong();
                        for (JsonNode item : result.get("results")) {
                            if (item.get("status").asText().equals("rejected")) {
                                rejected++;
                                int index = item.get("index").asInt();
                                rejects.write(batch.get(index));
                                rejects.write('\n');
                                errors.write(item.get("errors").toString());
                                errors.write('\n');
                            }
                        }
                        batch.clear();
                        progress.update(accepted + duplicates + rejected, counted.count());
                    }
                }
            }
            progress.finish();
            if (rejected == 0) {
                Files.deleteIfExists(rejectedFile);
                Files.deleteIfExists(errorsFile);
            }
            return new Totals(accepted, duplicates, rejected, false, "");
        }

        private static InputStream decompressed(InputStream in) throws IOException {
            BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
            buffered.mark(2);
            int first = buffered.read();
            int second = buffered.read();
            buffered.reset();
            return first == 0x1f && second == 0x8b ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        }
    }

    /** Counts the bytes read from the file, compressed or not, for the percentage. */
    static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        long count() {
            return count;
        }
    }

    /** Progress on a terminal as a bar redrawn in place; elsewhere a plain line every few seconds. */
    static final class Progress {
        private final PrintStream out;
        private final long totalBytes;
        private final boolean terminal;
        private final long started = System.nanoTime();
        private long lastPrinted;

        Progress(PrintStream out, long totalBytes, boolean terminal) {
            this.out = out;
            this.totalBytes = Math.max(1, totalBytes);
            this.terminal = terminal;
        }

        static Progress forTerminal(PrintStream out, long totalBytes) {
            return new Progress(out, totalBytes, isTerminal());
        }

        /** From JDK 22 a Console exists even when output is redirected; {@code isTerminal} tells. */
        @SuppressWarnings("SystemConsoleNull") // Tally also runs on JDK 21, where it is null when redirected
        private static boolean isTerminal() {
            java.io.Console console = System.console();
            if (console == null) {
                return false;
            }
            try {
                return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException e) {
                return true;
            }
        }

        void update(long events, long bytesRead) {
            long now = System.nanoTime();
            if (!terminal && now - lastPrinted < 5_000_000_000L && bytesRead < totalBytes) {
                return;
            }
            lastPrinted = now;
            double seconds = Math.max(0.001, (now - started) / 1e9);
            double fraction = Math.min(1.0, (double) bytesRead / totalBytes);
            long rate = Math.round(events / seconds);
            long eta = fraction <= 0 ? 0 : Math.round(seconds / fraction - seconds);
            String figures = String.format(
                    "%5.1f%%  %,d events  %,d events/s  ETA %s", fraction * 100, events, rate, duration(eta));
            if (terminal) {
                int width = 30;
                int filled = (int) Math.round(fraction * width);
                out.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + figures + "   ");
            } else {
                out.println("progress: " + figures);
            }
            out.flush();
        }

        void finish() {
            if (terminal) {
                out.println();
            }
        }

        private static String duration(long seconds) {
            return seconds >= 3600
                    ? String.format("%dh%02dm", seconds / 3600, (seconds % 3600) / 60)
                    : String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
    }
}
