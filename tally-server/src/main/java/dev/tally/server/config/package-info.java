/** Server configuration: one validated record, read from flags and environment at start. */
package dev.tally.server.config;
