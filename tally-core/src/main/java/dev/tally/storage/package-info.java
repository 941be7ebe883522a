/** The storage SPI every backend implements; its contract suite lives in tally-storage-testing. */
package dev.tally.storage;
