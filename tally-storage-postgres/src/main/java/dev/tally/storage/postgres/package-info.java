/** The PostgreSQL (and Citus) store: several Tally nodes share one database. */
package dev.tally.storage.postgres;
