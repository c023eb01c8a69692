-- Up Migration

-- Outcomes get an identity and a source. outcome_id is what makes storing an outcome idempotent:
-- one row per id, whichever path brought it (the `outcomes` topic, POST /v1/outcomes, the label-window
-- job). An outcome that names no id gets one derived from its customer and observed_at (to the
-- millisecond), so id-less producers keep the rule they had: one outcome per customer and time. The
-- derivation below is outcomeId() in libs/db/src/repositories/outcome-id.ts; existing rows get theirs.
-- The bigserial that was the key stays as `seq` (arrival order).
ALTER TABLE outcomes RENAME COLUMN outcome_id TO seq;
ALTER TABLE outcomes
  ADD COLUMN outcome_id text,
  ADD COLUMN source text NOT NULL DEFAULT 'feed' CHECK (source IN ('feed', 'cancellation', 'label_window', 'api', 'import'));
UPDATE outcomes
   SET outcome_id = substr(encode(sha256(convert_to(
         'observed|' || customer_id || '|' || to_char(observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'UTF8')), 'hex'), 1, 32);
ALTER TABLE outcomes
  ALTER COLUMN outcome_id SET NOT NULL,
  ADD CONSTRAINT outcomes_outcome_id_key UNIQUE (outcome_id),
  DROP CONSTRAINT outcomes_customer_id_observed_at_key;
-- A customer's outcomes in time order: the quality join, the latest outcome, the label-window job.
CREATE INDEX outcomes_customer_observed_at ON outcomes (customer_id, observed_at);

-- Down Migration
DROP INDEX outcomes_customer_observed_at;
DELETE FROM outcomes a USING outcomes b WHERE a.customer_id = b.customer_id AND a.observed_at = b.observed_at AND a.seq > b.seq;
ALTER TABLE outcomes
  DROP CONSTRAINT outcomes_outcome_id_key,
  ADD CONSTRAINT outcomes_customer_id_observed_at_key UNIQUE (customer_id, observed_at),
  DROP COLUMN source,
  DROP COLUMN outcome_id;
ALTER TABLE outcomes RENAME COLUMN seq TO outcome_id;
