/** The in-memory reference store: the SPI's behaviour in plain Java, for tests and for reading. */
@NullMarked
package dev.tally.storage.memory;

import org.jspecify.annotations.NullMarked;
