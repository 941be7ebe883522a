/** Webhook delivery: the SSRF guard, signing, the HTTP sender and the dispatcher that drains the outbox. */
@NullMarked
package dev.tally.server.webhook;

import org.jspecify.annotations.NullMarked;
