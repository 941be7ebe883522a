/** The in-memory reference store: the SPI's behaviour in plain Java, for tests and for reading. */
package dev.tally.storage.memory;
