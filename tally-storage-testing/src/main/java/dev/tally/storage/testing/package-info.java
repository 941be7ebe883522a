/** The storage contract every backend passes. */
@NullMarked
package dev.tally.storage.testing;

import org.jspecify.annotations.NullMarked;
