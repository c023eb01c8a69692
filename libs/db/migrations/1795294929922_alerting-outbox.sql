-- Up Migration

-- What a notification needs to show without re-reading the prediction: top factors, recommended
-- action, revenue at risk, the rule that fired. Added, never renamed.
ALTER TABLE alerts ADD COLUMN reason text NOT NULL DEFAULT 'level';
ALTER TABLE alerts ADD COLUMN details jsonb NOT NULL DEFAULT '{}';
CREATE INDEX alerts_open_by_customer ON alerts (customer_id) WHERE status = 'acknowledged';

-- Every prediction's score, for the "jump of N points within D days" rule. Kept by alerting
-- itself (not read from the scorer's table) and pruned beyond the longest rule window.
CREATE TABLE alerting_scores (
  prediction_id text PRIMARY KEY,
  customer_id   text NOT NULL,
  risk_score    smallint NOT NULL,
  as_of         timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerting_scores_customer_as_of ON alerting_scores (customer_id, as_of DESC);
CREATE INDEX alerting_scores_recorded_at ON alerting_scores (recorded_at);

-- Where notifications go; one row per channel, shared by every alerting instance: the send slot
-- (next_send_at) keeps the cluster within Slack's rate, and a dead destination stops everyone.
CREATE TABLE alert_destinations (
  channel      text PRIMARY KEY CHECK (channel IN ('slack', 'email')),
  fingerprint  text NOT NULL,
  status       text NOT NULL DEFAULT 'up' CHECK (status IN ('up', 'dead')),
  dead_reason  text,
  dead_since   timestamptz,
  next_send_at timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Transactional outbox of notifications, written in the transaction that creates the alert and
-- drained by the dispatcher. A row is claimed with FOR UPDATE SKIP LOCKED plus a lease, so several
-- instances share the work; the idempotency key makes each (channel, alert) or daily digest one row.
CREATE TABLE alert_notifications (
  id              bigserial PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  channel         text NOT NULL CHECK (channel IN ('slack', 'email')),
  kind            text NOT NULL CHECK (kind IN ('alert', 'digest')),
  alert_id        text REFERENCES alerts (alert_id),
  level           text,
  status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sent', 'parked', 'awaiting_digest', 'in_digest')),
  digest_id       bigint REFERENCES alert_notifications (id),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  claimed_by      text,
  claimed_until   timestamptz,
  last_error      text,
  delivered_via   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz
);
CREATE INDEX alert_notifications_due ON alert_notifications (channel, next_attempt_at) WHERE status IN ('pending', 'parked');
CREATE INDEX alert_notifications_awaiting ON alert_notifications (channel) WHERE status = 'awaiting_digest';
CREATE INDEX alert_notifications_digest ON alert_notifications (digest_id) WHERE digest_id IS NOT NULL;
CREATE INDEX alert_notifications_alert ON alert_notifications (alert_id);

-- Down Migration
DROP TABLE alert_notifications;
DROP TABLE alert_destinations;
DROP TABLE alerting_scores;
DROP INDEX alerts_open_by_customer;
ALTER TABLE alerts DROP COLUMN details;
ALTER TABLE alerts DROP COLUMN reason;
