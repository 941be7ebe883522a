/** Per-contact summaries of each event name: count, first and last, maintained on ingest. */
package dev.tally.summary;
