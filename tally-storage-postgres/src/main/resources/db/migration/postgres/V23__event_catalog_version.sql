-- A name's version: every transaction that changes any of the name's event_summaries rows adds one
-- to it in the same transaction (the append's catalog upsert, a contact's deletion). A node that
-- keeps an in-process copy of a name's rows (SummaryCopies) reads the version with the copy, in one
-- snapshot, and serves a search from the copy only while the version is unchanged: exact whichever
-- node wrote since.
ALTER TABLE event_catalog ADD COLUMN version bigint NOT NULL DEFAULT 0;
