package dev.tally.server.cli;

import dev.tally.error.StoreUnavailableException;
import dev.tally.json.TallyJson;
import dev.tally.server.Stores;
import dev.tally.storage.rocksdb.RocksDbStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tally backup DIR}: a consistent copy of the embedded store, taken while ingest goes on. Against
 * a running server (the default) the server writes it, since it holds RocksDB's lock: DIR is a path on
 * the server's machine. With {@code --data-dir} and no server running, the store is opened here.
 */
@Command(
        name = "backup",
        mixinStandardHelpOptions = true,
        description = {
            "Back up the embedded store into DIR, a new directory, while the server runs.",
            "The running server writes it (needs TALLY_ADMIN_TOKEN); DIR is on the server's machine.",
            "With --data-dir, backs up a stopped server's store directly."
        })
final class BackupCommand implements Callable<Integer> {
    private final Function<String, String> environment;

    BackupCommand() {
        this(System::getenv);
    }

    BackupCommand(Function<String, String> environment) {
        this.environment = environment;
    }

    @Parameters(index = "0", paramLabel = "DIR", description = "Directory to create and fill; must not exist.")
    Path directory;

    @Option(
            names = "--url",
            defaultValue = "${env:TALLY_URL:-http://127.0.0.1:8080}",
            description = "The running server (TALLY_URL, default ${DEFAULT-VALUE}).")
    String url;

    @Option(
            names = "--data-dir",
            description = "Back up this stopped server's data directory instead of asking a running server.")
    Optional<Path> dataDir;

    @Override
    public Integer call() {
        Path target = directory.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            System.err.println("tally backup: " + target + " already exists; back up into a new directory");
            return 2;
        }
        if (dataDir.isPresent()) {
            return offline(dataDir.get(), target);
        }
        AdminCommand admin = new AdminCommand(environment);
        admin.url = url;
        String body;
        try {
            body = TallyJson.mapper().writeValueAsString(java.util.Map.of("directory", target.toString()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return admin.call("POST", "/admin/backups", Optional.of(body), System.out, System.err);
    }

    private static int offline(Path dataDir, Path target) {
        Path store = Stores.rocksDbDirectory(dataDir);
        if (!Files.isDirectory(store)) {
            System.err.println("tally backup: no embedded store in " + store);
            return 1;
        }
        try (RocksDbStore opened = RocksDbStore.open(store)) {
            opened.operations().backup(target);
        } catch (StoreUnavailableException e) {
            System.err.println("tally backup: cannot open " + store + " (is a server running on it? then run"
                    + " without --data-dir): " + e.getMessage());
            return 1;
        }
        System.out.println("backed up " + store + " into " + target);
        return 0;
    }
}
