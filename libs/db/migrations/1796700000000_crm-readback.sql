-- Up Migration

-- crm-sync reads back, per CRM, the retention tasks it created that were completed there. The
-- watermark is the newest last-modified time read so far (the next read asks for tasks modified at
-- or after it; a task read twice records one intervention, the id being derived from the task id).
-- `lease_until` lets one instance read a CRM at a time; `next_read_at` spaces the reads of every
-- instance by the read-back interval.
CREATE TABLE crm_readback_state (
  target           text PRIMARY KEY CHECK (target IN ('salesforce', 'hubspot')),
  watermark        timestamptz,
  lease_until      timestamptz NOT NULL DEFAULT '-infinity',
  next_read_at     timestamptz NOT NULL DEFAULT '-infinity',
  last_attempt_at  timestamptz,
  last_success_at  timestamptz,
  last_error       text,
  tasks_read       bigint NOT NULL DEFAULT 0
);
INSERT INTO crm_readback_state (target) VALUES ('salesforce'), ('hubspot');

-- A customer's churn reaches its open retention tasks through the outbox like every CRM write.
ALTER TABLE crm_outbox DROP CONSTRAINT crm_outbox_kind_check;
ALTER TABLE crm_outbox ADD CONSTRAINT crm_outbox_kind_check CHECK (kind IN ('score', 'task', 'churn'));
-- The platform's tasks of a customer, when its churn is written to them.
CREATE INDEX crm_outbox_customer_tasks ON crm_outbox (target, customer_id) WHERE kind = 'task' AND status = 'sent';
-- A completed task read back names its alert (Salesforce) or its CRM id (HubSpot): both lead to the customer.
CREATE INDEX crm_outbox_task_external_id ON crm_outbox (target, external_id) WHERE kind = 'task';

-- A completed CRM task records that something was done, not what it cost: its cost is left empty
-- and ROI counts the customer as treated at the risk level's estimate (cost basis `estimated`).
ALTER TABLE interventions ALTER COLUMN cost DROP NOT NULL;

-- Down Migration
DELETE FROM interventions WHERE cost IS NULL;
ALTER TABLE interventions ALTER COLUMN cost SET NOT NULL;
DROP INDEX crm_outbox_task_external_id;
DROP INDEX crm_outbox_customer_tasks;
DELETE FROM crm_outbox WHERE kind = 'churn';
ALTER TABLE crm_outbox DROP CONSTRAINT crm_outbox_kind_check;
ALTER TABLE crm_outbox ADD CONSTRAINT crm_outbox_kind_check CHECK (kind IN ('score', 'task'));
DROP TABLE crm_readback_state;
