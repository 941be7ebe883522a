/** The event catalog: per workspace and event name, what was seen, kept up to date on ingest. */
package dev.tally.catalog;
