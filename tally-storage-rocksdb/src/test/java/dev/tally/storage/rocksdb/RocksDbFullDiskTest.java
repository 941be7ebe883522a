package dev.tally.storage.rocksdb;

import static dev.tally.storage.rocksdb.TestingWorkspace.ADA;
import static dev.tally.storage.rocksdb.TestingWorkspace.WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.tally.error.StoreUnavailableException;
import dev.tally.event.DataEvent;
import dev.tally.metadata.MetadataValue;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A synced write that fails on a full disk leaves RocksDB read-only (a background error). Once there is
 * room again the store must take writes without a restart. The disk is a real small filesystem: a 8 MiB
 * tmpfs mounted for the test, which needs root (as CI runs); elsewhere the test is skipped, saying so.
 */
class RocksDbFullDiskTest {
    @TempDir
    Path directory;

    private boolean mounted;

    @BeforeEach
    void mountSmallFilesystem() throws Exception {
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", directory.toString())
                .redirectErrorStream(true)
                .start();
        boolean done = mount.waitFor(10, TimeUnit.SECONDS);
        String output = new String(mount.getInputStream().readAllBytes());
        mounted = done && mount.exitValue() == 0;
        assumeThat(mounted)
                .as("mounting a small tmpfs needs root (CI runs as root); skipped: " + output.strip())
                .isTrue();
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", "-l", directory.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void writesResumeWithoutRestartOnceAFullDiskHasRoomAgain() throws Exception {
        try (RocksDbStore store = RocksDbStore.open(directory.resolve("rocksdb"))) {
            TestingWorkspace.insertInto(store);
            Path filler = directory.resolve("filler");
            fill(filler);

            int[] sequence = {0};
            assertThatThrownBy(() -> {
                        for (int i = 0; i < 100_000; i++) {
                            store.append(List.of(event(sequence[0]++)));
                        }
                    })
                    .as("a write fails once the disk is full")
                    .isInstanceOf(StoreUnavailableException.class);

            Files.delete(filler);

            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            Throwable last = null;
            while (System.nanoTime() < deadline) {
                try {
                    store.append(List.of(event(sequence[0]++)));
                    store.checkHealth();
                    last = null;
                    break;
                } catch (StoreUnavailableException e) {
                    last = e;
                    Thread.sleep(100);
                }
            }
            assertThat(last)
                    .as("the store still refuses writes with room on the disk")
                    .isNull();
            DataEvent after = event(sequence[0]++);
            store.append(List.of(after));
            assertThat(store.listEvents(WORKSPACE, ADA.id(), 0, Optional.empty(), 1))
                    .extracting(DataEvent::id)
                    .containsExactly(after.id());
        }
    }

    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            // no space left: the filesystem is full
        }
    }

    private static DataEvent event(int n) {
        return TestingWorkspace.event(
                "filled", 1_700_000_000L + n, Map.of("padding", new MetadataValue.StringValue("x".repeat(200))));
    }
}
