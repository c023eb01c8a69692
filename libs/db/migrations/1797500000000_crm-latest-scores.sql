-- Up Migration

-- crm-sync's own copy of every customer's newest prediction on `predictions` (by as_of, then
-- scored_at), kept by the consumer in the transaction that records the prediction: what the Salesforce
-- Bulk API backfill pushes, so crm-sync reads no table of the scorer's. Seeded from the scorer's
-- stored champion predictions while the services share a database; with a database of its own,
-- crm-sync fills it from the predictions it consumes (a replay of the topic backfills it).
CREATE TABLE crm_latest_scores (
  customer_id        text PRIMARY KEY,
  prediction_id      text NOT NULL,
  risk_score         smallint NOT NULL,
  risk_level         text NOT NULL,
  churn_probability  float8 NOT NULL,
  recommended_action text NOT NULL,
  experiment_arm     text,
  as_of              timestamptz NOT NULL,
  scored_at          timestamptz NOT NULL
);

DO $$
BEGIN
  IF to_regclass('predictions') IS NOT NULL THEN
    INSERT INTO crm_latest_scores (customer_id, prediction_id, risk_score, risk_level, churn_probability, recommended_action, experiment_arm, as_of, scored_at)
    SELECT DISTINCT ON (customer_id) customer_id, prediction_id, risk_score, risk_level, churn_probability, recommended_action, experiment_arm, as_of, scored_at
      FROM predictions WHERE role = 'champion'
     ORDER BY customer_id, as_of DESC, scored_at DESC;
  END IF;
END $$;

-- Down Migration
DROP TABLE crm_latest_scores;
