package dev.tally.storage.rocksdb;

import java.util.Arrays;

/** A key in a column family, equal by content, so writes and prefetched reads can live in hash maps. */
record ColumnKey(Column column, byte[] key) {
    @Override
    public boolean equals(Object other) {
        return other instanceof ColumnKey that && column == that.column && Arrays.equals(key, that.key);
    }

    @Override
    public int hashCode() {
        // The ordinal, not Enum.hashCode(): an identity hash showed up in the writer's profile.
        return 31 * column.ordinal() + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return column + ":" + java.util.HexFormat.of().formatHex(key);
    }
}
