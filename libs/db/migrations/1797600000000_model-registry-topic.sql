-- Up Migration

-- The scorer's registry revision: one row, bumped by every registry change in the change's
-- transaction. Its row lock serialises registry changes, so revisions follow commit order and a
-- consumer of `model-registry` can tell a newer assignment from an older one.
CREATE TABLE model_registry_revision (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  revision  bigint NOT NULL
);
INSERT INTO model_registry_revision (revision) VALUES (0);

-- Every registry change waiting to be published on `model-registry`: written in the change's
-- transaction, published by the scorer's relay in id order, then marked. A row published and not yet
-- marked is published again with the same change_id.
CREATE TABLE model_registry_outbox (
  id           bigserial PRIMARY KEY,
  change_id    text NOT NULL UNIQUE,
  customer_id  text NOT NULL,
  payload      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX model_registry_outbox_unpublished ON model_registry_outbox (id) WHERE published_at IS NULL;
CREATE INDEX model_registry_outbox_published ON model_registry_outbox (published_at) WHERE published_at IS NOT NULL;

-- Monitoring's copy of the registry, from `model-registry`: each version's card (never changed after
-- registration) and the one current assignment with the revision it is of (replaced only by a newer one).
CREATE TABLE monitoring_model_versions (
  version       text PRIMARY KEY,
  card          jsonb NOT NULL,
  registered_at timestamptz NOT NULL
);
CREATE TABLE monitoring_model_assignment (
  singleton             boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  revision              bigint NOT NULL,
  champion              text,
  champion_activated_by text,
  shadow                text,
  rollout_version       text,
  rollout_share         double precision,
  changed_at            timestamptz NOT NULL
);

-- Filled from the scorer's model_versions while the services share a database, at revision 0: the
-- first change the scorer publishes (revision 1) replaces it.
DO $$
BEGIN
  IF to_regclass('model_versions') IS NOT NULL THEN
    INSERT INTO monitoring_model_versions (version, card, registered_at)
    SELECT version, card, registered_at FROM model_versions
    ON CONFLICT (version) DO NOTHING;
    INSERT INTO monitoring_model_assignment (revision, champion, champion_activated_by, shadow, rollout_version, rollout_share, changed_at)
    SELECT 0,
           (SELECT version FROM model_versions WHERE role = 'champion' LIMIT 1),
           (SELECT activated_by FROM model_versions WHERE role = 'champion' LIMIT 1),
           (SELECT version FROM model_versions WHERE role = 'shadow' LIMIT 1),
           (SELECT version FROM model_versions WHERE role = 'rollout' LIMIT 1),
           (SELECT rollout_share FROM model_versions WHERE role = 'rollout' LIMIT 1),
           now();
  END IF;
END $$;

-- Down Migration
DROP TABLE monitoring_model_assignment;
DROP TABLE monitoring_model_versions;
DROP TABLE model_registry_outbox;
DROP TABLE model_registry_revision;
