/** Webhooks: subscriptions to {@code event.created} and the notifications owed to them. */
package dev.tally.webhook;
