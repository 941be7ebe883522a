/** Per-contact summaries of each event name (count, first, last) and per-workspace daily counts, maintained on ingest. */
package dev.tally.summary;
