-- The event catalog: per workspace and event name, the stored events, the contacts that have at
-- least one, and the earliest and latest created_at. Kept by the append's transaction.
CREATE TABLE event_catalog (
    workspace_id text COLLATE "C" NOT NULL,
    name text COLLATE "C" NOT NULL,
    event_count bigint NOT NULL,
    contact_count bigint NOT NULL,
    first_seen bigint NOT NULL,
    last_seen bigint NOT NULL,
    archived boolean NOT NULL DEFAULT false,
    CONSTRAINT event_catalog_pkey PRIMARY KEY (workspace_id, name)
);

-- The types each tracked metadata key was seen with, as a bit set (bit = KeyType ordinal).
CREATE TABLE event_catalog_keys (
    workspace_id text COLLATE "C" NOT NULL,
    name text COLLATE "C" NOT NULL,
    key text COLLATE "C" NOT NULL,
    types integer NOT NULL,
    CONSTRAINT event_catalog_keys_pkey PRIMARY KEY (workspace_id, name, key)
);

-- The search index: a name's contacts in contact id order with their summary, read index-only.
CREATE INDEX event_summaries_by_name ON event_summaries (workspace_id, name, contact_id)
    INCLUDE (event_count, first_at, last_at);

-- Events stored before the catalog existed: counted from the summaries; their key types are unknown.
INSERT INTO event_catalog (workspace_id, name, event_count, contact_count, first_seen, last_seen)
SELECT workspace_id, name, sum(event_count), count(*), min(first_at), max(last_at)
FROM event_summaries GROUP BY workspace_id, name;

INSERT INTO event_catalog_keys (workspace_id, name, key, types)
SELECT workspace_id, name, unnest(keys), 0 FROM tracked_keys
ON CONFLICT DO NOTHING;
