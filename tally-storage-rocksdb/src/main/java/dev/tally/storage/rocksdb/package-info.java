/** The embedded default store: RocksDB with group commit through a single writer thread. */
package dev.tally.storage.rocksdb;
