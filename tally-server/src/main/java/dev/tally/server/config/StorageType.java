package dev.tally.server.config;

import java.util.Locale;

/** Which store backs the server: the embedded default, or PostgreSQL for several nodes. */
public enum StorageType {
    ROCKSDB,
    POSTGRES;

    public static StorageType parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "rocksdb", "embedded" -> ROCKSDB;
            case "postgres", "postgresql" -> POSTGRES;
            default ->
                throw new IllegalArgumentException("TALLY_STORAGE must be 'rocksdb' or 'postgres', got '" + text + "'");
        };
    }
}
