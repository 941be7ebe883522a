/** The Tally server: wiring, lifecycle and the command-line entry point. */
@NullMarked
package dev.tally.server;

import org.jspecify.annotations.NullMarked;
