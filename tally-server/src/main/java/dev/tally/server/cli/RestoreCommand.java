package dev.tally.server.cli;

import dev.tally.error.StoreUnavailableException;
import dev.tally.server.Stores;
import dev.tally.storage.rocksdb.RocksDbStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tally restore DIR}: puts a backup made by {@code tally backup} into an empty data directory, for
 * a server to start on. It refuses a data directory that already holds a store: restoring never
 * overwrites. The copy is checked by opening it before it takes the store's place.
 */
@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        description = {
            "Restore a backup made by 'tally backup' into an empty data directory; then start the server on it.",
            "Refuses a data directory that already holds a store."
        })
final class RestoreCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The backup directory.")
    Path backup;

    @Option(
            names = "--data-dir",
            defaultValue = "${env:TALLY_DATA_DIR:-./data}",
            description = "Data directory to restore into (TALLY_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(backup.resolve("CURRENT"))) {
            System.err.println(
                    "tally restore: " + backup + " is not a backup made by 'tally backup' (no CURRENT file)");
            return 2;
        }
        Path store = Stores.rocksDbDirectory(dataDir);
        try {
            if (Files.exists(store) && !isEmptyDirectory(store)) {
                System.err.println("tally restore: " + store + " already holds a store; restore into an empty"
                        + " data directory (move the old one away first)");
                return 2;
            }
            Path staging = store.resolveSibling(store.getFileName() + ".restoring");
            deleteRecursively(staging);
            Files.createDirectories(staging);
            List<Path> files;
            try (Stream<Path> listed = Files.list(backup)) {
                files = listed.filter(Files::isRegularFile).toList();
            }
            for (Path file : files) {
                Files.copy(file, staging.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
            try (RocksDbStore opened = RocksDbStore.open(staging)) {
                opened.checkHealth();
            }
            Files.deleteIfExists(store);
            Files.move(staging, store, StandardCopyOption.ATOMIC_MOVE);
            System.out.println("restored " + files.size() + " files from " + backup + " into " + store
                    + "; start the server with --data-dir " + dataDir);
            return 0;
        } catch (IOException | StoreUnavailableException e) {
            System.err.println("tally restore: " + e.getMessage());
            return 1;
        }
    }

    private static boolean isEmptyDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
