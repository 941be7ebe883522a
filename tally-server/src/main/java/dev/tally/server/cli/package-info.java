/** The {@code tally} command line: serve, and the operator's admin commands. */
package dev.tally.server.cli;
