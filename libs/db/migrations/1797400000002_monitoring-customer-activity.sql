-- Up Migration

-- Every notification delivery attempt consumed from `alert-notifications`, once per notification_id:
-- the customer page's timeline.
CREATE TABLE monitoring_customer_notifications (
  notification_id text PRIMARY KEY,
  alert_id        text NOT NULL,
  customer_id     text NOT NULL,
  channel         text NOT NULL,
  form            text NOT NULL,
  outcome         text NOT NULL,
  attempt         integer NOT NULL,
  failure         text,
  parked          boolean NOT NULL,
  occurred_at     timestamptz NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX monitoring_customer_notifications_customer ON monitoring_customer_notifications (customer_id, occurred_at DESC);

-- Every CRM activity consumed from `crm-activity`, once per activity_id: the customer page's timeline.
CREATE TABLE monitoring_customer_crm_activity (
  activity_id  text PRIMARY KEY,
  customer_id  text NOT NULL,
  crm          text NOT NULL,
  kind         text NOT NULL,
  external_id  text,
  write        text,
  risk_score   smallint,
  alert_id     text,
  completed_by text,
  occurred_at  timestamptz NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX monitoring_customer_crm_activity_customer ON monitoring_customer_crm_activity (customer_id, occurred_at DESC);

-- The platform's tasks in the CRMs, one row per CRM task: created and completed may arrive in either
-- order (a redelivery, a replay), so a task is open when its creation is known and its completion is not.
CREATE TABLE monitoring_crm_tasks (
  crm          text NOT NULL,
  external_id  text NOT NULL,
  customer_id  text NOT NULL,
  created_at   timestamptz,
  completed_at timestamptz,
  PRIMARY KEY (crm, external_id)
);
CREATE INDEX monitoring_crm_tasks_open ON monitoring_crm_tasks (customer_id) WHERE created_at IS NOT NULL AND completed_at IS NULL;

-- Whether the customer has an open CRM task, kept from monitoring_crm_tasks with every activity
-- applied: the list's `crm_task` filter and column.
ALTER TABLE monitoring_customers ADD COLUMN crm_task_open boolean NOT NULL DEFAULT false;
CREATE INDEX monitoring_customers_crm_task_open ON monitoring_customers (risk_score DESC, customer_id) WHERE prediction_id IS NOT NULL AND crm_task_open;

-- Down Migration
DROP INDEX monitoring_customers_crm_task_open;
ALTER TABLE monitoring_customers DROP COLUMN crm_task_open;
DROP TABLE monitoring_crm_tasks;
DROP TABLE monitoring_customer_crm_activity;
DROP TABLE monitoring_customer_notifications;
