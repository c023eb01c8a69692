-- Up Migration

-- crm-sync's activity in the CRMs (records written, tasks created, tasks completed) waiting to be
-- published on `crm-activity`: written in the transaction that records it in crm_outbox (a write sent)
-- or crm_readback_state (a page of completed tasks read), published by crm-sync's relay in id order,
-- then marked. A row published and not yet marked is published again with the same activity_id.
CREATE TABLE crm_activity_outbox (
  id           bigserial PRIMARY KEY,
  activity_id  text NOT NULL UNIQUE,
  customer_id  text NOT NULL,
  payload      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX crm_activity_outbox_unpublished ON crm_activity_outbox (id) WHERE published_at IS NULL;
CREATE INDEX crm_activity_outbox_published ON crm_activity_outbox (published_at) WHERE published_at IS NOT NULL;

-- Down Migration
DROP TABLE crm_activity_outbox;
