-- A subscription may notify only for the contacts of a segment (issue 13): segment_id, NULL for
-- every contact. A notification of such a subscription whose contact is not in the segment when it
-- is due is settled without an attempt: the status 'skipped'.

ALTER TABLE webhook_subscriptions ADD COLUMN segment_id text COLLATE "C";

ALTER TABLE webhook_notifications DROP CONSTRAINT webhook_notifications_status_check;
ALTER TABLE webhook_notifications ADD CONSTRAINT webhook_notifications_status_check
    CHECK (status IN ('pending', 'delivered', 'failed', 'skipped'));
