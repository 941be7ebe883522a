-- Tally's schema for PostgreSQL and Citus (see docs/scaling.md).
--
-- Citus rule, checked by CitusReadySchemaTest: every table except the reference tables
-- (workspaces, access_tokens) is distributed by workspace_id, so each of its primary keys and
-- unique constraints contains workspace_id.
--
-- Instants are numeric epoch seconds with the nanoseconds as fraction: exact where timestamptz
-- would round to microseconds; to_timestamp(created_at) shows them as dates.
-- Ids and event names collate "C": their order is Java's String order, which the SPI promises
-- for listings, and comparing them is cheaper than under a linguistic collation.
-- Metadata is text, not jsonb: jsonb reorders keys, and metadata reads back in the order sent.

CREATE TABLE workspaces (
    workspace_id text COLLATE "C" NOT NULL,
    name text NOT NULL,
    created_at numeric(30, 9) NOT NULL,
    rate_limit_per_minute bigint,
    CONSTRAINT workspaces_pkey PRIMARY KEY (workspace_id)
);

-- Looked up by hash on every request, across workspaces: a reference table, so every Citus
-- worker has it whole and the lookup needs no fan-out.
CREATE TABLE access_tokens (
    token_hash text COLLATE "C" NOT NULL,
    workspace_id text COLLATE "C" NOT NULL,
    token_id text COLLATE "C" NOT NULL,
    scopes text[] NOT NULL,
    label text NOT NULL,
    created_at numeric(30, 9) NOT NULL,
    revoked_at numeric(30, 9),
    CONSTRAINT access_tokens_pkey PRIMARY KEY (token_hash),
    CONSTRAINT access_tokens_workspace_token_key UNIQUE (workspace_id, token_id)
);

CREATE TABLE contacts (
    workspace_id text COLLATE "C" NOT NULL,
    contact_id text COLLATE "C" NOT NULL,
    role text NOT NULL,
    external_id text,
    email text,
    name text,
    created_at numeric(30, 9) NOT NULL,
    updated_at numeric(30, 9) NOT NULL,
    CONSTRAINT contacts_pkey PRIMARY KEY (workspace_id, contact_id),
    CONSTRAINT contacts_external_id_key UNIQUE (workspace_id, external_id),
    CONSTRAINT contacts_role_check CHECK (role IN ('user', 'lead'))
);

CREATE INDEX contacts_email_idx ON contacts (workspace_id, email);

-- The primary key is the de-duplication key (contact, name, created_at) and, read backwards,
-- the listing order (created_at descending; the name tie-break sorts within one second).
CREATE TABLE events (
    workspace_id text COLLATE "C" NOT NULL,
    contact_id text COLLATE "C" NOT NULL,
    created_at bigint NOT NULL,
    name text COLLATE "C" NOT NULL,
    event_id text NOT NULL,
    metadata text NOT NULL,
    CONSTRAINT events_pkey PRIMARY KEY (workspace_id, contact_id, created_at, name)
);

-- Maintained on ingest from the rows actually inserted; never computed by scanning events.
CREATE TABLE event_summaries (
    workspace_id text COLLATE "C" NOT NULL,
    contact_id text COLLATE "C" NOT NULL,
    name text COLLATE "C" NOT NULL,
    event_count bigint NOT NULL,
    first_at bigint NOT NULL,
    last_at bigint NOT NULL,
    CONSTRAINT event_summaries_pkey PRIMARY KEY (workspace_id, contact_id, name)
);

-- Counts posted to /events/summaries for events counted outside Tally.
CREATE TABLE event_baselines (
    workspace_id text COLLATE "C" NOT NULL,
    contact_id text COLLATE "C" NOT NULL,
    name text COLLATE "C" NOT NULL,
    event_count bigint NOT NULL,
    first_at bigint NOT NULL,
    last_at bigint NOT NULL,
    CONSTRAINT event_baselines_pkey PRIMARY KEY (workspace_id, contact_id, name)
);

-- The first 10 distinct metadata keys of each event name, in the order first seen. The row is
-- also the lock that serializes admitting new keys for one name across Tally nodes.
CREATE TABLE tracked_keys (
    workspace_id text COLLATE "C" NOT NULL,
    name text COLLATE "C" NOT NULL,
    keys text[] NOT NULL,
    CONSTRAINT tracked_keys_pkey PRIMARY KEY (workspace_id, name)
);

-- Small JSON documents read by id only (bulk jobs, merged-contact markers): shared by all nodes.
CREATE TABLE documents (
    workspace_id text COLLATE "C" NOT NULL,
    kind text COLLATE "C" NOT NULL,
    document_id text COLLATE "C" NOT NULL,
    body text NOT NULL,
    CONSTRAINT documents_pkey PRIMARY KEY (workspace_id, kind, document_id)
);
