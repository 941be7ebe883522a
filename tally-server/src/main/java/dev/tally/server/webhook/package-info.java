/** Webhook delivery: the SSRF guard, signing, the HTTP sender and the dispatcher that drains the outbox. */
package dev.tally.server.webhook;
