/** The event catalog: per workspace and event name, what was seen, kept up to date on ingest. */
@NullMarked
package dev.tally.catalog;

import org.jspecify.annotations.NullMarked;
