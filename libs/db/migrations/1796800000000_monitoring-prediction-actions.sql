-- Up Migration

-- What the scorer recommended for a prediction and why (its top factors), kept with monitoring's own
-- copy of the prediction: the retention report lists the most at-risk customers of a period with
-- their drivers and recommended actions from monitoring's tables alone. Rows stored before this
-- migration have NULLs; the report then falls back to the scorer's `predictions` row.
ALTER TABLE monitoring_predictions ADD COLUMN recommended_action text;
ALTER TABLE monitoring_predictions ADD COLUMN top_factors jsonb;

-- Down Migration
ALTER TABLE monitoring_predictions DROP COLUMN top_factors;
ALTER TABLE monitoring_predictions DROP COLUMN recommended_action;
