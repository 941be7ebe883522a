-- The dashboard's overview (issue 14): per-day counts kept on ingest, in the same transaction as
-- the events and contacts they count, so the overview never scans events. Days are UTC days of
-- created_at. Distributed by workspace_id like every other table.

CREATE TABLE daily_event_counts (
    workspace_id text COLLATE "C" NOT NULL,
    day date NOT NULL,
    name text COLLATE "C" NOT NULL,
    event_count bigint NOT NULL,
    CONSTRAINT daily_event_counts_pkey PRIMARY KEY (workspace_id, day, name)
);

CREATE TABLE daily_contact_counts (
    workspace_id text COLLATE "C" NOT NULL,
    day date NOT NULL,
    contact_count bigint NOT NULL,
    CONSTRAINT daily_contact_counts_pkey PRIMARY KEY (workspace_id, day)
);
