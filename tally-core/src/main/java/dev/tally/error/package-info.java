/** Failure categories: every error Tally reports has one {@link dev.tally.error.ErrorCode}. */
package dev.tally.error;
