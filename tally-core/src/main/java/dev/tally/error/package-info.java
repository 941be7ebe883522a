/** Failure categories: every error Tally reports has one {@link dev.tally.error.ErrorCode}. */
@NullMarked
package dev.tally.error;

import org.jspecify.annotations.NullMarked;
