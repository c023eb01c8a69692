-- Up Migration

-- The feature vector each prediction was made from, as the `predictions` message carries it: what
-- drift and cohorts read, so monitoring reads no table of the scorer's. Filled from the scorer's
-- stored vectors (and the action and factors of rows stored before monitoring kept them) while the
-- services share a database; a row whose message carried no vector keeps null and is left out of
-- drift and cohorts.
ALTER TABLE monitoring_predictions ADD COLUMN features jsonb;

DO $$
BEGIN
  IF to_regclass('predictions') IS NOT NULL THEN
    UPDATE monitoring_predictions m
       SET features = p.features,
           recommended_action = coalesce(m.recommended_action, p.recommended_action),
           top_factors = coalesce(m.top_factors, p.top_factors)
      FROM predictions p
     WHERE p.prediction_id = m.prediction_id;
  END IF;
END $$;

-- Down Migration
ALTER TABLE monitoring_predictions DROP COLUMN features;
