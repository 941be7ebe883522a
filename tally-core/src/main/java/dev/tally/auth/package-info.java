/** Access tokens: stored as hashes, carrying scopes, revocable. */
package dev.tally.auth;
