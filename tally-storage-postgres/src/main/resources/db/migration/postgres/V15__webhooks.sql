-- Webhooks: subscriptions to event.created, and the outbox of notifications with their delivery
-- state. Both are distributed by workspace_id. Times are epoch milliseconds.

CREATE TABLE webhook_subscriptions (
    workspace_id text COLLATE "C" NOT NULL,
    subscription_id text COLLATE "C" NOT NULL,
    url text NOT NULL,
    event_names text[] NOT NULL,
    hub_secret text NOT NULL,
    active boolean NOT NULL,
    created_at bigint NOT NULL,
    failing_since bigint,
    inactive_reason text,
    CONSTRAINT webhook_subscriptions_pkey PRIMARY KEY (workspace_id, subscription_id)
);

-- One row per notification owed to a subscription, inserted in the same transaction as its event.
-- lease_until: while in the future, one node is attempting it (claimed with FOR UPDATE SKIP LOCKED).
CREATE TABLE webhook_notifications (
    workspace_id text COLLATE "C" NOT NULL,
    subscription_id text COLLATE "C" NOT NULL,
    notification_id text COLLATE "C" NOT NULL,
    topic text NOT NULL,
    event_id text,
    contact_id text,
    event_name text,
    event_created_at bigint,
    metadata text,
    created_at bigint NOT NULL,
    status text NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at bigint NOT NULL,
    lease_until bigint NOT NULL DEFAULT 0,
    first_sent_at bigint,
    last_attempt_at bigint,
    delivered_at bigint,
    last_response_code integer,
    last_response text,
    CONSTRAINT webhook_notifications_pkey PRIMARY KEY (workspace_id, subscription_id, notification_id),
    CONSTRAINT webhook_notifications_status_check CHECK (status IN ('pending', 'delivered', 'failed'))
);

CREATE INDEX webhook_notifications_due_idx
    ON webhook_notifications (workspace_id, subscription_id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_notifications_finished_idx
    ON webhook_notifications (last_attempt_at) WHERE status <> 'pending';
