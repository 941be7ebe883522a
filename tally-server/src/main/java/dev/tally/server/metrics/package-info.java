/** The Prometheus metrics: what is measured, and the {@code /metrics} exposition. */
package dev.tally.server.metrics;
