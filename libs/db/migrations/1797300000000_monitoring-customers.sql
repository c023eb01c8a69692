-- Up Migration

-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Monitoring's read model of customers: one row per customer, built only from the topics monitoring
-- consumes — `predictions` (the newest champion prediction and the one before it, so the score change
-- is a column), `customer-features` (the attributes of the newest vector; the whole vector is in
-- monitoring_customer_vectors) and `alert-updates` (the customer's current alert). Every part is
-- replaced only by a strictly newer message (predictions by as_of, scored_at, prediction_id; vectors by
-- as_of, source_event_id; alerts by occurred_at, update_id), so a redelivered or late, older message
-- changes nothing.
CREATE TABLE monitoring_customers (
  customer_id              text PRIMARY KEY,
  prediction_id            text,
  model_version            text,
  churn_probability        double precision,
  risk_score               smallint,
  risk_level               text,
  revenue_at_risk          numeric(14, 2),
  intervention_cost        numeric(12, 2),
  recommended_action       text,
  top_factors              jsonb,
  experiment_name          text,
  experiment_arm           text,
  prediction_as_of         timestamptz,
  scored_at                timestamptz,
  previous_prediction_id   text,
  previous_risk_score      smallint,
  previous_as_of           timestamptz,
  previous_scored_at       timestamptz,
  score_change             smallint GENERATED ALWAYS AS (risk_score - previous_risk_score) STORED,
  -- The active spec's attributes in the newest vector (what the list shows and filters on). They change
  -- rarely, so most vectors leave this row, and its indexes, untouched.
  attributes               jsonb,
  -- The text attributes' values (categoricals of the active spec), lower-cased, for `q=` search.
  search_text              text,
  alert_id                 text,
  alert_level              text,
  alert_state              text,
  alert_due_at             timestamptz,
  alert_assignee           text,
  alert_occurred_at        timestamptz,
  updated_at               timestamptz NOT NULL DEFAULT now()
);

-- The list's sorts (descending is the default; customer_id is the stable tiebreak).
CREATE INDEX monitoring_customers_score ON monitoring_customers (risk_score DESC, customer_id) WHERE prediction_id IS NOT NULL;
CREATE INDEX monitoring_customers_score_change ON monitoring_customers (score_change DESC NULLS LAST, customer_id) WHERE prediction_id IS NOT NULL;
CREATE INDEX monitoring_customers_revenue ON monitoring_customers (revenue_at_risk DESC, customer_id) WHERE prediction_id IS NOT NULL;
-- The usual first filter (a risk level) with the default sort.
CREATE INDEX monitoring_customers_level_score ON monitoring_customers (risk_level, risk_score DESC, customer_id) WHERE prediction_id IS NOT NULL;
CREATE INDEX monitoring_customers_alert_state ON monitoring_customers (alert_state, risk_score DESC, customer_id) WHERE prediction_id IS NOT NULL;
CREATE INDEX monitoring_customers_arm ON monitoring_customers (experiment_arm) WHERE experiment_arm IS NOT NULL;
-- `q=`: a customer id prefix (lower(customer_id) LIKE 'q%'), or a substring of a text attribute (ILIKE '%q%', trigrams).
CREATE INDEX monitoring_customers_id_prefix ON monitoring_customers (lower(customer_id) text_pattern_ops);
CREATE INDEX monitoring_customers_search ON monitoring_customers USING gin (search_text gin_trgm_ops);
-- `attr.<name>=<value>`: containment (attributes @> '{"plan": "pro"}').
CREATE INDEX monitoring_customers_attributes ON monitoring_customers USING gin (attributes jsonb_path_ops);

-- Each customer's newest feature vector, whole (attributes, derived features, aggregates), by name: the
-- customer page and the population's distributions. Apart from monitoring_customers because every
-- event changes a vector's aggregates: here an update touches one index, not the list's ten.
CREATE TABLE monitoring_customer_vectors (
  customer_id     text PRIMARY KEY,
  features        jsonb NOT NULL,
  spec_hash       text NOT NULL,
  as_of           timestamptz NOT NULL,
  source_event_id text NOT NULL
);

-- Every alert update consumed from `alert-updates`, once per update_id: the customer page's timeline.
CREATE TABLE monitoring_alert_updates (
  update_id   text PRIMARY KEY,
  alert_id    text NOT NULL,
  customer_id text NOT NULL,
  level       text NOT NULL,
  state       text NOT NULL,
  change      text NOT NULL,
  assignee    text,
  changed_by  text,
  note        text,
  due_at      timestamptz,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX monitoring_alert_updates_customer ON monitoring_alert_updates (customer_id, occurred_at DESC);

-- Each alert's current state (its newest update by occurred_at, then update_id), from which the
-- customer's alert is chosen: an open one (pending, acknowledged, expired) first, else the newest.
CREATE TABLE monitoring_customer_alerts (
  alert_id    text PRIMARY KEY,
  customer_id text NOT NULL,
  level       text NOT NULL,
  state       text NOT NULL,
  assignee    text,
  due_at      timestamptz,
  occurred_at timestamptz NOT NULL,
  update_id   text NOT NULL
);
CREATE INDEX monitoring_customer_alerts_customer ON monitoring_customer_alerts (customer_id);

-- The population's distribution of every feature of the active spec, recomputed by monitoring's
-- periodic population refresh (never per request): quantiles for numbers, shares for categories.
CREATE TABLE monitoring_feature_population (
  feature     text PRIMARY KEY,
  spec_hash   text NOT NULL,
  summary     jsonb NOT NULL,
  computed_at timestamptz NOT NULL
);

-- Customers already scored: their newest two champion predictions from monitoring's own copy. Vectors
-- and alert states arrive with the next messages on their topics.
INSERT INTO monitoring_customers (customer_id, prediction_id, model_version, churn_probability, risk_score, risk_level, revenue_at_risk,
  intervention_cost, recommended_action, top_factors, experiment_name, experiment_arm, prediction_as_of, scored_at,
  previous_prediction_id, previous_risk_score, previous_as_of, previous_scored_at)
SELECT n.customer_id, n.prediction_id, n.model_version, n.churn_probability, n.risk_score, n.risk_level, n.revenue_at_risk,
       n.intervention_cost, n.recommended_action, n.top_factors, n.experiment_name, n.experiment_arm, n.as_of, n.scored_at,
       p.prediction_id, p.risk_score, p.as_of, p.scored_at
  FROM (SELECT m.*, row_number() OVER (PARTITION BY customer_id ORDER BY as_of DESC, scored_at DESC, prediction_id DESC) AS rank
          FROM monitoring_predictions m WHERE role = 'champion') n
  LEFT JOIN (SELECT m.*, row_number() OVER (PARTITION BY customer_id ORDER BY as_of DESC, scored_at DESC, prediction_id DESC) AS rank
               FROM monitoring_predictions m WHERE role = 'champion') p ON p.customer_id = n.customer_id AND p.rank = 2
 WHERE n.rank = 1;

-- Down Migration
DROP TABLE monitoring_feature_population;
DROP TABLE monitoring_customer_alerts;
DROP TABLE monitoring_customer_vectors;
DROP TABLE monitoring_alert_updates;
DROP TABLE monitoring_customers;
