/** The Prometheus metrics: what is measured, and the {@code /metrics} exposition. */
@NullMarked
package dev.tally.server.metrics;

import org.jspecify.annotations.NullMarked;
