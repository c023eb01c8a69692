-- Up Migration
-- customer_state holds each customer's state under the active feature spec as one JSON document (the
-- evaluator's state: attributes with the occurred_at that set each, lifetime sums and counts), with the
-- hash of the spec it was folded under. A row whose spec_hash is not the active spec's (NULL: folded
-- before states were spec-driven) is rebuilt by ingest from the event log the first time the customer
-- has a new event, so the per-attribute columns of the fixed vector go.
ALTER TABLE customer_state
  ADD COLUMN state jsonb,
  ADD COLUMN spec_hash text,
  ADD COLUMN first_event_at timestamptz;

UPDATE customer_state s
   SET first_event_at = coalesce((SELECT min(e.occurred_at) FROM processed_events e WHERE e.customer_id = s.customer_id), s.last_event_at);

ALTER TABLE customer_state
  ALTER COLUMN first_event_at SET NOT NULL,
  DROP COLUMN signed_up_at,
  DROP COLUMN gender,
  DROP COLUMN senior_citizen,
  DROP COLUMN partner,
  DROP COLUMN dependents,
  DROP COLUMN profile_updated_at,
  DROP COLUMN contract,
  DROP COLUMN phone_service,
  DROP COLUMN multiple_lines,
  DROP COLUMN internet_service,
  DROP COLUMN online_security,
  DROP COLUMN online_backup,
  DROP COLUMN device_protection,
  DROP COLUMN tech_support,
  DROP COLUMN streaming_tv,
  DROP COLUMN streaming_movies,
  DROP COLUMN paperless_billing,
  DROP COLUMN payment_method,
  DROP COLUMN monthly_charges,
  DROP COLUMN subscription_updated_at,
  DROP COLUMN total_charges,
  DROP COLUMN invoices_paid;

-- Active customers at a time (rescore): those whose first event is by then.
CREATE INDEX customer_state_first_event ON customer_state (first_event_at);

-- Down Migration
-- The fixed columns come back empty: the states of that schema cannot be derived here; replaying the
-- event log rebuilds them.
DROP INDEX customer_state_first_event;
DELETE FROM customer_state;
ALTER TABLE customer_state
  DROP COLUMN state,
  DROP COLUMN spec_hash,
  DROP COLUMN first_event_at,
  ADD COLUMN signed_up_at timestamptz,
  ADD COLUMN gender text,
  ADD COLUMN senior_citizen boolean,
  ADD COLUMN partner boolean,
  ADD COLUMN dependents boolean,
  ADD COLUMN profile_updated_at timestamptz,
  ADD COLUMN contract text,
  ADD COLUMN phone_service boolean,
  ADD COLUMN multiple_lines text,
  ADD COLUMN internet_service text,
  ADD COLUMN online_security text,
  ADD COLUMN online_backup text,
  ADD COLUMN device_protection text,
  ADD COLUMN tech_support text,
  ADD COLUMN streaming_tv text,
  ADD COLUMN streaming_movies text,
  ADD COLUMN paperless_billing boolean,
  ADD COLUMN payment_method text,
  ADD COLUMN monthly_charges numeric(12, 2),
  ADD COLUMN subscription_updated_at timestamptz,
  ADD COLUMN total_charges numeric(14, 2) NOT NULL DEFAULT 0,
  ADD COLUMN invoices_paid integer NOT NULL DEFAULT 0;
