/** The storage SPI every backend implements; its contract suite lives in tally-storage-testing. */
@NullMarked
package dev.tally.storage;

import org.jspecify.annotations.NullMarked;
