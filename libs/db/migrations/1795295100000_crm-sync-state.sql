-- Up Migration
-- crm-sync: which predictions and alerts it has seen, the score last queued and last pushed per
-- customer and CRM (the change-threshold baseline), and a lease on outbox rows being pushed.
CREATE TABLE crm_seen_messages (
  message_key text PRIMARY KEY,
  seen_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE crm_score_state (
  target              text NOT NULL CHECK (target IN ('salesforce', 'hubspot')),
  customer_id         text NOT NULL,
  queued_score        smallint NOT NULL,
  queued_level        text NOT NULL,
  queued_prediction_id text NOT NULL,
  queued_as_of        timestamptz NOT NULL,
  pushed_score        smallint,
  pushed_level        text,
  pushed_prediction_id text,
  pushed_at           timestamptz,
  PRIMARY KEY (target, customer_id)
);

ALTER TABLE crm_outbox ADD COLUMN claimed_until timestamptz;
CREATE INDEX crm_outbox_customer ON crm_outbox (target, kind, customer_id, id) WHERE status = 'pending';

-- Down Migration
DROP INDEX crm_outbox_customer;
ALTER TABLE crm_outbox DROP COLUMN claimed_until;
DROP TABLE crm_score_state;
DROP TABLE crm_seen_messages;
