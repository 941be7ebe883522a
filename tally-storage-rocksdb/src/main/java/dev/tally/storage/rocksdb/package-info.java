/** The embedded default store: RocksDB with group commit through a single writer thread. */
@NullMarked
package dev.tally.storage.rocksdb;

import org.jspecify.annotations.NullMarked;
