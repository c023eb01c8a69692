-- Up Migration

-- Each customer's newest prediction per model version and role (newest = greatest as_of, then
-- scored_at, then prediction_id: the order the figures have always used), kept up to date in the
-- transaction that stores a consumed prediction. The periodic figures (ROI exposures, drift samples)
-- read one row per customer from here instead of sorting every stored prediction on each refresh:
-- with ~25 predictions per customer that was 128,000 rows sorted three times every 30 s for 5,000
-- customers, the largest CPU spike on the pipeline's machine (bench/README.md).
CREATE TABLE monitoring_latest (
  role          text NOT NULL CHECK (role IN ('champion', 'shadow')),
  model_version text NOT NULL,
  customer_id   text NOT NULL,
  prediction_id text NOT NULL REFERENCES monitoring_predictions (prediction_id),
  as_of         timestamptz NOT NULL,
  scored_at     timestamptz NOT NULL,
  PRIMARY KEY (role, model_version, customer_id)
);

INSERT INTO monitoring_latest (role, model_version, customer_id, prediction_id, as_of, scored_at)
SELECT DISTINCT ON (role, model_version, customer_id) role, model_version, customer_id, prediction_id, as_of, scored_at
  FROM monitoring_predictions
 ORDER BY role, model_version, customer_id, as_of DESC, scored_at DESC, prediction_id DESC;

-- Down Migration
DROP TABLE monitoring_latest;
