/** Server configuration: one validated record, read from flags and environment at start. */
@NullMarked
package dev.tally.server.config;

import org.jspecify.annotations.NullMarked;
