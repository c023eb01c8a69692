-- Up Migration

-- Monitoring's own record of every prediction it consumed from `predictions` (role champion) and
-- `predictions.shadow` (role shadow): what the outcome join, ROI and experiment figures read.
-- Keyed by prediction_id, so a redelivered message is stored once. The feature vectors stay in the
-- scorer's `predictions` table and are joined by prediction_id where a cohort or drift needs them.
CREATE TABLE monitoring_predictions (
  prediction_id     text PRIMARY KEY,
  customer_id       text NOT NULL,
  model_version     text NOT NULL,
  role              text NOT NULL CHECK (role IN ('champion', 'shadow')),
  churn_probability double precision NOT NULL,
  risk_score        smallint NOT NULL,
  risk_level        text NOT NULL,
  intervention_cost numeric(12, 2) NOT NULL,
  revenue_at_risk   numeric(14, 2) NOT NULL,
  experiment_name   text,
  experiment_arm    text,
  as_of             timestamptz NOT NULL,
  scored_at         timestamptz NOT NULL,
  received_at       timestamptz NOT NULL DEFAULT now()
);
-- The outcome join: a customer's last prediction per model version at or before a time.
CREATE INDEX monitoring_predictions_customer_version_as_of ON monitoring_predictions (customer_id, model_version, as_of DESC, scored_at DESC);
CREATE INDEX monitoring_predictions_scored_at ON monitoring_predictions (scored_at);
CREATE INDEX monitoring_predictions_experiment ON monitoring_predictions (experiment_name, customer_id) WHERE experiment_name IS NOT NULL;

CREATE INDEX outcomes_observed_at ON outcomes (observed_at);

-- Model alerts (drift, performance) raised by monitoring: one row per model, kind, subject and UTC
-- day, so a breach that persists is published on `model-alerts` once a day, not every refresh.
CREATE TABLE monitoring_model_alerts (
  alert_id      text PRIMARY KEY,
  model_version text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('feature_drift', 'score_drift', 'performance_drift')),
  subject       text NOT NULL,
  day           date NOT NULL,
  value         double precision NOT NULL,
  threshold     double precision NOT NULL,
  message       text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (model_version, kind, subject, day)
);
CREATE INDEX monitoring_model_alerts_created ON monitoring_model_alerts (created_at DESC);

-- Down Migration
DROP TABLE monitoring_model_alerts;
DROP INDEX outcomes_observed_at;
DROP TABLE monitoring_predictions;
