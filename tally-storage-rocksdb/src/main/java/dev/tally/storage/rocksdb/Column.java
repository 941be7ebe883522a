package dev.tally.storage.rocksdb;

import java.nio.charset.StandardCharsets;

/**
 * One column family per kind of record, so each can be scanned by prefix on its own and tuned on
 * its own. Keys are built by {@link Keys}; {@code |} below separates key components.
 */
enum Column {
    /** workspace id → workspace. */
    WORKSPACES("workspaces"),
    /** token hash → token: authentication is one point read. */
    TOKENS("tokens"),
    /** workspace | token id → token hash, to list and update a workspace's tokens. */
    TOKENS_BY_WORKSPACE("tokens_by_workspace"),
    /** workspace | contact id → contact. */
    CONTACTS("contacts"),
    /**
     * workspace | external id → the contact, so resolving a user_id is one read (stores written
     * before 2026-11-23 hold only the contact id, still read); its presence is the uniqueness check.
     */
    CONTACTS_BY_EXTERNAL_ID("contacts_by_external_id"),
    /** workspace | email | contact id → nothing; emails are not unique. */
    CONTACTS_BY_EMAIL("contacts_by_email"),
    /**
     * workspace | contact | (Long.MAX_VALUE - createdAt) | name → event id and metadata. One key is
     * both the de-duplication key and the newest-first listing order, ties by name ascending.
     */
    EVENTS("events", true),
    /** workspace | contact | name → count, first, last. */
    SUMMARIES("summaries", true),
    /** workspace | contact | name → posted count, first, last. */
    BASELINES("baselines", true),
    /** workspace | name → the tracked metadata keys in first-seen order. */
    TRACKED_KEYS("tracked_keys"),
    /** workspace | kind | id → a small JSON document (bulk jobs, merged-contact markers, segments). */
    DOCUMENTS("documents"),
    /** workspace | name → the name's catalog entry (counts, first and last seen, key types, archived). */
    EVENT_CATALOG("event_catalog"),
    /**
     * workspace | name | contact → nothing: the search index, so a condition on an event reads only
     * the contacts that did it, in contact id order, and their summaries from SUMMARIES. Written
     * once, with a contact's first event of the name. (Stores written before 2026-12-01 hold the
     * summary as of some event here; it is no longer read.)
     */
    EVENT_INDEX("event_index"),
    /** workspace | subscription id → subscription. */
    WEBHOOK_SUBSCRIPTIONS("webhook_subscriptions"),
    /** workspace | subscription id | notification id (time-ordered) → notification and its delivery state. */
    WEBHOOK_NOTIFICATIONS("webhook_notifications"),
    /** workspace | subscription id | next attempt (ms) | notification id → nothing: pending ones, soonest first. */
    WEBHOOK_DUE("webhook_due"),
    /** last attempt (ms) | workspace | subscription id | notification id → nothing: finished ones, for pruning. */
    WEBHOOK_FINISHED("webhook_finished"),
    /** workspace | epoch day | event name → events received (see {@link DailyCountKeys}). */
    DAILY_EVENT_COUNTS("daily_event_counts"),
    /** workspace | epoch day → contacts created. */
    DAILY_CONTACT_COUNTS("daily_contact_counts"),
    /**
     * sequence number → one batch's owed notifications: its events (key and value
     * as stored) and the subscriptions owed each, written in the batch's commit and turned into
     * WEBHOOK_NOTIFICATIONS entries by the dispatcher's claims (see {@link RocksDbWebhookStore}).
     */
    WEBHOOK_OUTBOX("webhook_outbox");

    private final String familyName;
    private final boolean keyedByContact;

    Column(String familyName) {
        this(familyName, false);
    }

    Column(String familyName, boolean keyedByContact) {
        this.familyName = familyName;
        this.keyedByContact = keyedByContact;
    }

    /** Keys start with workspace | contact, and reads go by that prefix. */
    boolean keyedByContact() {
        return keyedByContact;
    }

    byte[] familyName() {
        return familyName.getBytes(StandardCharsets.US_ASCII);
    }
}
