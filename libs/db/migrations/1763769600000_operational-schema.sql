-- Up Migration

-- Current feature state per customer, built by ingest. Attribute groups carry the occurred_at of the
-- event that set them, so a late, older event can be recorded without overwriting a newer value.
CREATE TABLE customer_state (
  customer_id             text PRIMARY KEY,
  signed_up_at            timestamptz,
  gender                  text,
  senior_citizen          boolean,
  partner                 boolean,
  dependents              boolean,
  profile_updated_at      timestamptz,
  contract                text,
  phone_service           boolean,
  multiple_lines          text,
  internet_service        text,
  online_security         text,
  online_backup           text,
  device_protection       text,
  tech_support            text,
  streaming_tv            text,
  streaming_movies        text,
  paperless_billing       boolean,
  payment_method          text,
  monthly_charges         numeric(12, 2),
  subscription_updated_at timestamptz,
  total_charges           numeric(14, 2) NOT NULL DEFAULT 0,
  invoices_paid           integer NOT NULL DEFAULT 0,
  last_event_at           timestamptz NOT NULL,
  last_event_id           text NOT NULL,
  updated_at              timestamptz NOT NULL DEFAULT now()
);

-- The processed-event ledger: one row per event_id, written in the same transaction as the state
-- change it caused. It is also the append-only event log that point-in-time features are rebuilt from.
CREATE TABLE processed_events (
  event_id      text PRIMARY KEY,
  customer_id   text NOT NULL,
  event_type    text NOT NULL,
  occurred_at   timestamptz NOT NULL,
  payload       jsonb NOT NULL,
  -- false when the event was recorded but an attribute it carried had already been set by a newer event
  applied       boolean NOT NULL,
  source_topic  text,
  source_partition integer,
  source_offset bigint,
  processed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX processed_events_customer_time ON processed_events (customer_id, occurred_at);

-- Model registry: which versions exist and which one scores (champion) or shadows.
CREATE TABLE model_versions (
  version       text PRIMARY KEY,
  role          text NOT NULL DEFAULT 'registered' CHECK (role IN ('registered', 'champion', 'shadow', 'retired')),
  card          jsonb NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT now(),
  activated_at  timestamptz,
  activated_by  text
);
CREATE UNIQUE INDEX model_versions_one_champion ON model_versions (role) WHERE role = 'champion';

-- Every prediction with the exact feature vector it used, so that training sets joined later with
-- outcomes are point-in-time correct. One row per (source event, model version, role): redelivery is a no-op.
CREATE TABLE predictions (
  prediction_id      text PRIMARY KEY,
  customer_id        text NOT NULL,
  model_version      text NOT NULL,
  role               text NOT NULL DEFAULT 'champion' CHECK (role IN ('champion', 'shadow')),
  source_event_id    text NOT NULL,
  churn_probability  double precision NOT NULL,
  risk_score         smallint NOT NULL,
  risk_level         text NOT NULL,
  recommended_action text NOT NULL,
  intervention_cost  numeric(12, 2) NOT NULL,
  revenue_at_risk    numeric(14, 2) NOT NULL,
  top_factors        jsonb NOT NULL DEFAULT '[]',
  experiment_name    text,
  experiment_arm     text,
  features           jsonb NOT NULL,
  as_of              timestamptz NOT NULL,
  scored_at          timestamptz NOT NULL,
  UNIQUE (source_event_id, model_version, role)
);
CREATE INDEX predictions_customer_as_of ON predictions (customer_id, as_of DESC);
CREATE INDEX predictions_scored_at ON predictions (scored_at);

CREATE TABLE alerts (
  alert_id        text PRIMARY KEY,
  customer_id     text NOT NULL,
  prediction_id   text NOT NULL UNIQUE,
  level           text NOT NULL,
  risk_score      smallint NOT NULL,
  message         text NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'acknowledged', 'resolved')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz,
  acknowledged_by text,
  resolved_at     timestamptz,
  resolved_by     text
);
CREATE INDEX alerts_customer_level ON alerts (customer_id, level, created_at DESC);
CREATE INDEX alerts_status_created ON alerts (status, created_at DESC);

CREATE TABLE outcomes (
  outcome_id           bigserial PRIMARY KEY,
  customer_id          text NOT NULL,
  churned              boolean NOT NULL,
  observed_at          timestamptz NOT NULL,
  intervention_applied boolean,
  intervention_cost    numeric(12, 2),
  revenue_impact       numeric(14, 2),
  experiment_arm       text,
  received_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (customer_id, observed_at)
);

-- Who did what to the registry, alerts and integrations, and when.
CREATE TABLE audit_log (
  id      bigserial PRIMARY KEY,
  at      timestamptz NOT NULL DEFAULT now(),
  actor   text NOT NULL,
  action  text NOT NULL,
  subject text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'
);

-- Transactional outbox of CRM writes: queued in the transaction that records the prediction or
-- alert as seen, drained by crm-sync; the idempotency key makes every write happen once.
CREATE TABLE crm_outbox (
  id              bigserial PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  target          text NOT NULL CHECK (target IN ('salesforce', 'hubspot')),
  kind            text NOT NULL CHECK (kind IN ('score', 'task')),
  customer_id     text NOT NULL,
  payload         jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'parked', 'skipped')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  external_id     text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz
);
CREATE INDEX crm_outbox_due ON crm_outbox (status, next_attempt_at) WHERE status IN ('pending', 'parked');

-- Down Migration
DROP TABLE crm_outbox;
DROP TABLE audit_log;
DROP TABLE outcomes;
DROP TABLE alerts;
DROP TABLE predictions;
DROP TABLE model_versions;
DROP TABLE processed_events;
DROP TABLE customer_state;
