/** Webhooks: subscriptions to {@code event.created} and the notifications owed to them. */
@NullMarked
package dev.tally.webhook;

import org.jspecify.annotations.NullMarked;
