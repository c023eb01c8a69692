-- Up Migration

-- What people did to keep a customer: who performed which action on which customer, when, at what
-- cost (the currency of every ROI figure), in which experiment arm, and where the record came from.
-- `api` and `import` are monitoring's POST /v1/interventions (one JSON record, or a CSV file);
-- `salesforce` and `hubspot` are completed CRM tasks read back by crm-sync.
-- intervention_id is derived from the record (the source's key when it has one, otherwise customer,
-- performed_at, action and performed_by), so a record sent again is stored once.
CREATE TABLE interventions (
  intervention_id text PRIMARY KEY,
  source          text NOT NULL CHECK (source IN ('api', 'import', 'salesforce', 'hubspot')),
  source_key      text,
  customer_id     text NOT NULL,
  performed_by    text NOT NULL,
  performed_at    timestamptz NOT NULL,
  action          text NOT NULL,
  channel         text,
  offer           text,
  cost            numeric(12, 2) NOT NULL CHECK (cost >= 0),
  experiment_name text,
  experiment_arm  text,
  recorded_at     timestamptz NOT NULL DEFAULT now()
);
-- ROI: a period's recorded costs; the experiment report: a customer's interventions between a
-- prediction and its outcome.
CREATE INDEX interventions_performed_at ON interventions (performed_at);
CREATE INDEX interventions_customer_performed_at ON interventions (customer_id, performed_at);

-- Down Migration
DROP TABLE interventions;
