-- Browser events (issue 11): each workspace gets a public app_id, an identity-verification secret,
-- the page origins allowed to call its browser endpoint, and whether identity verification is
-- enforced (on by default). Workspaces that exist already get a fresh app_id and secret here.
--
-- gen_random_uuid() (PostgreSQL 13+) draws on a cryptographic random source; a secret is two of
-- them without dashes: 64 hex characters, 244 random bits. workspaces is a reference table
-- (see V1), so a unique key on app_id alone is allowed.

ALTER TABLE workspaces
    ADD COLUMN app_id text COLLATE "C",
    ADD COLUMN identity_verification_secret text,
    ADD COLUMN allowed_origins text[] NOT NULL DEFAULT '{}',
    ADD COLUMN enforce_identity_verification boolean NOT NULL DEFAULT true;

UPDATE workspaces
SET app_id = substr(replace(gen_random_uuid()::text, '-', ''), 1, 8),
    identity_verification_secret = replace(gen_random_uuid()::text, '-', '')
        || replace(gen_random_uuid()::text, '-', '')
WHERE app_id IS NULL;

ALTER TABLE workspaces
    ALTER COLUMN app_id SET NOT NULL,
    ALTER COLUMN identity_verification_secret SET NOT NULL,
    ADD CONSTRAINT workspaces_app_id_key UNIQUE (app_id);
