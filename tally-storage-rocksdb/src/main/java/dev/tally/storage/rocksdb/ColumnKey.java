package dev.tally.storage.rocksdb;

import java.util.Arrays;

/**
 * A key in a column family, equal by content, so writes and prefetched reads can live in hash maps.
 * The array is compared by content below; the hash uses the column's ordinal on purpose (see there).
 */
@SuppressWarnings({"ArrayRecordComponent", "EnumOrdinal"})
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
