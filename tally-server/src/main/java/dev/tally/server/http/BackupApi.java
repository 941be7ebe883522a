package dev.tally.server.http;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.error.ErrorCode;
import dev.tally.error.TallyException;
import dev.tally.storage.StoreOperations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code POST /admin/backups}: the running server writes a consistent copy of its embedded store into a
 * new directory on its own filesystem, while it goes on taking writes. The server holds RocksDB's lock,
 * so only it can read the store consistently; {@code tally backup} drives this endpoint.
 */
public final class BackupApi {
    private final StoreOperations operations;

    public BackupApi(StoreOperations operations) {
        this.operations = requireNonNull(operations, "operations is null");
    }

    public List<Route> routes() {
        return List.of(new Route("POST", "/admin/backups", Access.ADMIN, this::backup));
    }

    ApiResponse backup(ApiRequest request) {
        JsonNode directory = request.jsonBody().get("directory");
        if (directory == null || !directory.isTextual() || directory.textValue().isBlank()) {
            throw new TallyException(
                    ErrorCode.PARAMETER_NOT_FOUND,
                    "directory is required: an absolute path on the server",
                    "directory");
        }
        Path target;
        try {
            target = Path.of(directory.textValue());
        } catch (java.nio.file.InvalidPathException e) {
            throw TallyException.invalid("directory", "directory is not a valid path");
        }
        if (!target.isAbsolute()) {
            throw TallyException.invalid("directory", "directory must be an absolute path on the server");
        }
        if (Files.exists(target)) {
            throw new TallyException(
                    ErrorCode.CONFLICT, "directory " + target + " already exists; back up into a new one", "directory");
        }
        if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
            throw TallyException.invalid("directory", "the parent of " + target + " is not a directory");
        }
        long started = System.nanoTime();
        try {
            operations.backup(target);
        } catch (UnsupportedOperationException e) {
            throw TallyException.invalid("storage", requireNonNullElse(e.getMessage(), "cannot be backed up"));
        }
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        long[] filesAndBytes = filesAndBytes(target);
        return ApiResponse.json(
                201, WireJson.backup(target.toString(), filesAndBytes[0], filesAndBytes[1], tookMillis));
    }

    private static long[] filesAndBytes(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            long[] totals = new long[2];
            for (Path file : files.toList()) {
                totals[0]++;
                totals[1] += Files.size(file);
            }
            return totals;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
