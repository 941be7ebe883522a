/** The PostgreSQL (and Citus) store: several Tally nodes share one database. */
@NullMarked
package dev.tally.storage.postgres;

import org.jspecify.annotations.NullMarked;
