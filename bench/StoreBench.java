import dev.tally.contact.ContactId;
import dev.tally.event.DataEvent;
import dev.tally.event.EventId;
import dev.tally.event.EventName;
import dev.tally.metadata.Metadata;
import dev.tally.metadata.MetadataValue;
import dev.tally.storage.TallyStore;
import dev.tally.storage.rocksdb.RocksDbConfig;
import dev.tally.storage.rocksdb.RocksDbStore;
import dev.tally.workspace.WorkspaceId;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * The RocksDB store alone, without HTTP or a load generator: loads the benchmark's data set and
 * reads it the way phase c does, so a storage change can be measured in a minute on a quiet core.
 *
 * <pre>
 * bench/store-bench [--events N] [--contacts N] [--extra N] [--seconds S] [--threads T] [--settle S] [--cache-mb M] [--write-buffer-mb M] [--dir DIR]
 * </pre>
 */
public final class StoreBench {
    private static final String[] NAMES = {"placed-order", "viewed-page", "signed-in", "invited-friend", "paid"};

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int events = Integer.parseInt(options.getOrDefault("events", "1000000"));
        int contactCount = Integer.parseInt(options.getOrDefault("contacts", "50000"));
        int extra = Integer.parseInt(options.getOrDefault("extra", "500000"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "6"));
        int threads = Integer.parseInt(options.getOrDefault("threads", "2"));
        Path dir = options.containsKey("dir")
                ? Path.of(options.get("dir"))
                : Files.createTempDirectory("tally-store-bench");

        WorkspaceId workspace = WorkspaceId.random();
        ContactId[] contacts = new ContactId[contactCount];
        for (int i = 0; i < contactCount; i++) {
            contacts[i] = ContactId.random();
        }
        long now = Instant.now().getEpochSecond();
        RocksDbConfig config = new RocksDbConfig(
                dir,
                Long.parseLong(options.getOrDefault("cache-mb", "64")) << 20,
                Long.parseLong(options.getOrDefault("write-buffer-mb", "32")) << 20,
                RocksDbConfig.DEFAULT_MAX_COMMANDS_PER_COMMIT);
        try (TallyStore store = RocksDbStore.open(config)) {
            long start = System.nanoTime();
            List<DataEvent> batch = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                int contact = i % contactCount;
                int nth = i / contactCount;
                batch.add(event(workspace, contacts[contact], NAMES[nth % NAMES.length], now - 86_400L * 89 + nth * 14_400L + contact % 3600));
                if (batch.size() == 1000) {
                    store.append(batch);
                    batch.clear();
                }
            }
            store.append(batch);
            batch.clear();
            report("preload", events, System.nanoTime() - start);
            cpu("preload", events);

            start = System.nanoTime();
            for (int i = 0; i < extra; i++) {
                int contact = i % Math.min(1000, contactCount);
                batch.add(event(workspace, contacts[contact], NAMES[i % NAMES.length], now - 1_000_000 + i));
                if (batch.size() == 100) {
                    store.append(batch);
                    batch.clear();
                }
            }
            store.append(batch);
            report("extra writes", extra, System.nanoTime() - start);
            cpu("extra writes", extra);

            Thread.sleep(Integer.parseInt(options.getOrDefault("settle", "0")) * 1000L);
            long minCreatedAt = now - Duration.ofDays(90).toSeconds() + 1;
            measure("list (16)", threads, seconds, contacts, (contact, sink) -> sink.accept(
                    store.listEvents(workspace, contact, minCreatedAt, Optional.empty(), 16).size(), 0));
            measure("summaries", threads, seconds, contacts, (contact, sink) -> sink.accept(
                    store.summaries(workspace, contact).size() + store.baselines(workspace, contact).size(), 0));
        }
    }

    private static long lastWriterCpu;
    private static long lastProcessCpu;

    /**
     * CPU time of the single writer thread and of the whole process per 1,000 events since the last
     * call: unlike events per second, it hardly moves when other work shares the machine.
     */
    private static void cpu(String label, int events) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long writer = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("tally-rocksdb-writer"))
                .mapToLong(thread -> threads.getThreadCpuTime(thread.threadId()))
                .sum();
        long process = ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        System.out.printf(
                "%-18s writer CPU %.1f ms, process CPU %.1f ms per 1,000 events%n",
                label,
                (writer - lastWriterCpu) / 1e6 / (events / 1000.0),
                (process - lastProcessCpu) / 1e6 / (events / 1000.0));
        lastWriterCpu = writer;
        lastProcessCpu = process;
    }

    private static DataEvent event(WorkspaceId workspace, ContactId contact, String name, long createdAt) {
        return new DataEvent(
                EventId.random(),
                workspace,
                contact,
                EventName.of(name),
                createdAt,
                new Metadata(Map.of(
                        "order_number", new MetadataValue.StringValue("o" + createdAt),
                        "amount", new MetadataValue.NumberValue(BigDecimal.valueOf(createdAt % 1000, 2)))));
    }

    private interface Operation {
        void run(ContactId contact, BiConsumer<Integer, Integer> sink);
    }

    private static void measure(String label, int threads, int seconds, ContactId[] contacts, Operation operation)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        long[][] latencies = new long[threads][];
        int[] counts = new int[threads];
        long[] found = new long[threads];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            workers.add(Thread.ofPlatform().start(() -> {
                long[] own = new long[1 << 22];
                int n = 0;
                while (!stop.get() && n < own.length) {
                    ContactId contact = contacts[ThreadLocalRandom.current().nextInt(contacts.length)];
                    long begin = System.nanoTime();
                    operation.run(contact, (size, ignored) -> found[index] += size);
                    own[n++] = System.nanoTime() - begin;
                }
                latencies[index] = own;
                counts[index] = n;
            }));
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        System.out.printf(
                "%-14s %9.0f ops/s  p50 %6.1f us  p99 %7.1f us  (%d threads, %.1f rows/op)%n",
                label,
                total / (double) seconds,
                all[total / 2] / 1e3,
                all[(int) (total * 0.99)] / 1e3,
                threads,
                Arrays.stream(found).sum() / (double) total);
    }

    private static void report(String label, int count, long nanos) {
        System.out.printf("%-14s %9.0f events/s (%d in %.1f s)%n", label, count / (nanos / 1e9), count, nanos / 1e9);
    }
}
