package dev.tally.storage.rocksdb;

import java.util.Arrays;

/**
 * A key in a column family, equal by content, so writes and prefetched reads can live in hash maps.
 * A class rather than a record so the hash is computed once: a prefetched key is hashed into a set,
 * a map and by every lookup, and hashing the bytes showed in the single writer's profile.
 */
final class ColumnKey {
    private final Column column;
    private final byte[] key;
    private final int hash;

    @SuppressWarnings("EnumOrdinal") // the ordinal, not Enum.hashCode(): an identity hash showed in the profile
    ColumnKey(Column column, byte[] key) {
        this.column = column;
        this.key = key;
        this.hash = 31 * column.ordinal() + Arrays.hashCode(key);
    }

    Column column() {
        return column;
    }

    /** The raw key; RocksDB's, never changed once made. */
    byte[] key() {
        return key;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ColumnKey that
                && hash == that.hash
                && column == that.column
                && Arrays.equals(key, that.key);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return column + ":" + java.util.HexFormat.of().formatHex(key);
    }
}
