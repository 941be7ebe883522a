package dev.tally.storage.postgres;

import static java.util.Objects.requireNonNull;

import dev.tally.storage.PackedIndex;

/**
 * One event name's {@code event_summaries} rows of a workspace (its index, packed, ids in UTF-8,
 * whose unsigned byte order is the column's {@code COLLATE "C"} order) and the name's catalog
 * version they were read at, in the same snapshot.
 */
record SummaryCopy(long version, PackedIndex index) {
    SummaryCopy {
        requireNonNull(index, "index is null");
    }

    long bytes() {
        return index.bytes() + 32;
    }
}
