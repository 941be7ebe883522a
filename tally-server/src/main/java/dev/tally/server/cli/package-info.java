/** The {@code tally} command line: serve, and the operator's admin commands. */
@NullMarked
package dev.tally.server.cli;

import org.jspecify.annotations.NullMarked;
