-- Up Migration
-- crm-sync: per CRM, shared by every instance: a rate-limit hold (no instance claims outbox rows
-- of that CRM before hold_until) and a pause after an error that no retry can fix (unknown field,
-- missing permission, refused credentials): rows stay pending until an admin or a probe resumes it.
CREATE TABLE crm_integrations (
  target         text PRIMARY KEY CHECK (target IN ('salesforce', 'hubspot')),
  hold_until     timestamptz NOT NULL DEFAULT '-infinity',
  hold_reason    text,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
  paused_reason  text,
  paused_detail  text,
  paused_at      timestamptz,
  next_probe_at  timestamptz NOT NULL DEFAULT '-infinity',
  resumed_at     timestamptz,
  resumed_by     text
);
INSERT INTO crm_integrations (target) VALUES ('salesforce'), ('hubspot');

-- Customers a CRM does not have, logged once a day each (the drainer skips their writes).
CREATE TABLE crm_missing_customers_logged (
  target      text NOT NULL,
  customer_id text NOT NULL,
  day         date NOT NULL,
  PRIMARY KEY (day, target, customer_id)
);

-- Down Migration
DROP TABLE crm_missing_customers_logged;
DROP TABLE crm_integrations;
