/** The packaged server in its own JVM, for tests that start Tally as a user does. */
package dev.tally.testing.process;
