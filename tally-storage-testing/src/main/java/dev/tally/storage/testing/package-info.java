/** The storage contract every backend passes. */
package dev.tally.storage.testing;
