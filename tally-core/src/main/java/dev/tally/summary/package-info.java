/** Per-contact summaries of each event name (count, first, last) and per-workspace daily counts, maintained on ingest. */
@NullMarked
package dev.tally.summary;

import org.jspecify.annotations.NullMarked;
