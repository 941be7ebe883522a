/** The Tally server: wiring, lifecycle and the command-line entry point. */
package dev.tally.server;
