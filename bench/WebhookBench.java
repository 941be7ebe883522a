import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/run's webhook phases, JDK only (run as a source file). Two modes:
 *
 * <pre>
 *   receiver URL-FILE COUNT-DIR
 *       a receiver on 127.0.0.1 that answers 204 to everything; writes its URL (ending /hooks) once,
 *       and every 100 ms, until killed, for each last path segment NAME it was sent to (URL/NAME)
 *       COUNT-DIR/NAME.count: the notifications received there and the ms since the first. One
 *       receiver serves several subscriptions (one path each), and stays warm between them.
 *   rate TALLY-URL TOKEN RATE SECONDS DRAIN-SECONDS [WARM-SECONDS]
 *       its own receiver and subscription (event name bench-webhook-rate), then POST /events at RATE
 *       a second for SECONDS, open loop (one event every 1/RATE s whatever the answers), each event
 *       carrying its sequence number; waits at most DRAIN-SECONDS for the notifications. Before
 *       that, WARM-SECONDS (default 0) of the same, not counted, and their notifications awaited:
 *       this JVM warms up (its sender and receiver run interpreted at first). Prints
 *       RESULT sent= accepted= received= missing= delivered_per_s= p50_ms= p99_ms= max_ms=
 *       where the latency of an event is from its 202 arriving here to its notification arriving
 *       here (one clock; 0 when the notification came first).
 * </pre>
 */
public class WebhookBench {
    private static final Pattern SEQ = Pattern.compile("\"bench_seq\":(\\d+)");

    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "receiver" -> receiver(Path.of(args[1]), Path.of(args[2]));
            case "rate" -> rate(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), args.length > 6 ? Integer.parseInt(args[6]) : 0);
            default -> {
                System.err.println("usage: WebhookBench receiver URL-FILE COUNT-DIR | rate URL TOKEN RATE SECONDS DRAIN [WARM-SECONDS]");
                System.exit(2);
            }
        }
    }

    private static HttpServer server(com.sun.net.httpserver.HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                handler.handle(exchange);
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
        return server;
    }

    private static void receiver(Path urlFile, Path countDir) throws Exception {
        Map<String, Counter> counters = new ConcurrentHashMap<>();
        HttpServer server = server(exchange -> {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            counters.computeIfAbsent(path.substring(path.lastIndexOf('/') + 1), name -> new Counter()).count();
        });
        Files.createDirectories(countDir);
        Files.writeString(urlFile, "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks");
        while (true) {
            for (Map.Entry<String, Counter> counter : counters.entrySet()) {
                long n = counter.getValue().count.get();
                long ms = n == 0 ? 0 : (System.nanoTime() - counter.getValue().first.get()) / 1_000_000;
                Path file = countDir.resolve(counter.getKey() + ".count");
                Path tmp = countDir.resolve(counter.getKey() + ".count.tmp");
                Files.writeString(tmp, n + " " + ms + "\n");
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            Thread.sleep(100);
        }
    }

    /** Notifications received on one path, and when the first arrived. */
    private static final class Counter {
        final AtomicLong count = new AtomicLong();
        final AtomicLong first = new AtomicLong();

        void count() {
            if (count.incrementAndGet() == 1) {
                first.set(System.nanoTime());
            }
        }
    }

    private static void rate(String url, String token, int rate, int seconds, int drain, int warmSeconds)
            throws Exception {
        int warm = rate * warmSeconds;
        int total = rate * seconds;
        AtomicLongArray acked = new AtomicLongArray(warm + total);
        AtomicLongArray received = new AtomicLongArray(warm + total);
        Map<Integer, Boolean> seen = new ConcurrentHashMap<>();
        AtomicLong measuredReceived = new AtomicLong(); // of seen, the ones at WARM or above
        HttpServer server = server(exchange -> {
            long at = System.nanoTime();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = SEQ.matcher(body);
            if (m.find()) {
                int seq = Integer.parseInt(m.group(1));
                if (seq < warm + total && seen.putIfAbsent(seq, true) == null) {
                    received.set(seq, at);
                    if (seq >= warm) {
                        measuredReceived.incrementAndGet();
                    }
                }
            }
        });
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        String receiverUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
        // A user of this run's own: a second run on the same store sends the same times, and the
        // same user would make its events duplicates (no notification).
        String user = "bench-webhook-" + Long.toString(System.currentTimeMillis(), 36);
        post(client, url, token, "/contacts", "{\"role\":\"user\",\"external_id\":\"" + user + "\"}");
        String subscription = post(client, url, token, "/subscriptions",
                "{\"service_type\":\"web\",\"topics\":[\"event.created\"],\"url\":\"" + receiverUrl
                        + "\",\"metadata\":{\"event_names\":[\"bench-webhook-rate\"]}}");
        Matcher id = Pattern.compile("\"id\":\"(nsub_[0-9a-z]+)\"").matcher(subscription);
        if (!id.find()) {
            throw new IllegalStateException("no subscription: " + subscription);
        }
        long base = System.currentTimeMillis() / 1000 - warm - total - 10;
        AtomicLong accepted = new AtomicLong();
        // The warm-up: this JVM (sender and receiver both) runs interpreted at first, and its own
        // slowness would count as Tally's; sent the same way, not counted, and awaited.
        if (warm > 0) {
            send(client, url, token, user, rate, 0, warm, base, acked, new AtomicLong());
            long until = System.nanoTime() + drain * 1_000_000_000L;
            while (seen.size() < warm && System.nanoTime() < until) {
                Thread.sleep(50);
            }
        }
        long start = System.nanoTime();
        send(client, url, token, user, rate, warm, total, base, acked, accepted);
        long sendEnd = System.nanoTime();
        long deadline = System.nanoTime() + drain * 1_000_000_000L;
        while (measuredReceived.get() < accepted.get() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long lastReceipt = start;
        int missing = 0;
        for (int i = warm; i < warm + total; i++) {
            if (acked.get(i) == 0) {
                continue;
            }
            if (received.get(i) == 0) {
                missing++;
            }
            lastReceipt = Math.max(lastReceipt, received.get(i));
        }
        long[] sorted = sortedLatencies(acked, received, warm, warm + total);
        printSlowSeconds(acked, received, warm, rate);
        double window = Math.max(lastReceipt, sendEnd) - start;
        System.out.printf("RESULT sent=%d accepted=%d received=%d missing=%d delivered_per_s=%.0f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f%n",
                total, accepted.get(), measuredReceived.get(), missing, sorted.length / (window / 1e9),
                percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        client.send(HttpRequest.newBuilder(URI.create(url + "/subscriptions/" + id.group(1)))
                .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        server.stop(0);
        System.exit(0);
    }

    /** Sends events FROM to FROM + COUNT - 1 at RATE a second, open loop; notes each 202's arrival. */
    private static void send(HttpClient client, String url, String token, String user, int rate, int from, int count,
            long base,
            AtomicLongArray acked, AtomicLong accepted) {
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        try (var senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                int seq = from + i;
                senders.execute(() -> {
                    String body = "{\"event_name\":\"bench-webhook-rate\",\"created_at\":" + (base + seq)
                            + ",\"user_id\":\"" + user + "\",\"metadata\":{\"bench_seq\":" + seq + "}}";
                    try {
                        HttpResponse<Void> response = client.send(request(url, token, "/events", body),
                                HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() == 202) {
                            acked.set(seq, System.nanoTime());
                            accepted.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        // not acknowledged: not counted
                    }
                });
            }
        }
    }

    /**
     * Prints "SECOND s=N events= p50_ms= p99_ms= max_ms=" for each second of sending whose slowest
     * notification took over 250 ms (the events sent in that second): where a tail comes from, a
     * start-up or something periodic.
     */
    private static void printSlowSeconds(AtomicLongArray acked, AtomicLongArray received, int from, int rate) {
        int seconds = (acked.length() - from + rate - 1) / rate;
        for (int second = 0; second < seconds; second++) {
            long[] sorted = sortedLatencies(acked, received, from + second * rate,
                    Math.min(acked.length(), from + (second + 1) * rate));
            if (sorted.length > 0 && sorted[sorted.length - 1] > 250_000_000L) {
                System.out.printf("SECOND s=%d events=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f%n", second, sorted.length,
                        percentile(sorted, 0.50), percentile(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
            }
        }
    }

    /** The 202-to-receipt latencies (ns, sorted) of events FROM to TO - 1 that were acknowledged and received. */
    private static long[] sortedLatencies(AtomicLongArray acked, AtomicLongArray received, int from, int to) {
        List<Long> latencies = new ArrayList<>();
        for (int i = from; i < to; i++) {
            if (acked.get(i) != 0 && received.get(i) != 0) {
                latencies.add(Math.max(0, received.get(i) - acked.get(i)));
            }
        }
        return latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static HttpRequest request(String url, String token, String path, String body) {
        return HttpRequest.newBuilder(URI.create(url + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static String post(HttpClient client, String url, String token, String path, String body)
            throws IOException, InterruptedException {
        return client.send(request(url, token, path, body), HttpResponse.BodyHandlers.ofString()).body();
    }
}
