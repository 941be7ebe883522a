/** The packaged server in its own JVM, for tests that start Tally as a user does. */
@NullMarked
package dev.tally.testing.process;

import org.jspecify.annotations.NullMarked;
