/** Access tokens: stored as hashes, carrying scopes, revocable. */
@NullMarked
package dev.tally.auth;

import org.jspecify.annotations.NullMarked;
