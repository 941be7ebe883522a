/** The storage contract every backend passes, and the in-memory reference store it is checked against. */
package dev.tally.storage.testing;
