-- Up Migration

-- Recipients an SMTP server refused while it accepted the message for the others.
ALTER TABLE alert_notifications ADD COLUMN rejected_recipients text[];

-- Set when Slack refused a digest carrying this row: the row is then sent on its own, so one
-- message Slack will not take cannot hold back the alerts bundled with it.
ALTER TABLE alert_notifications ADD COLUMN send_alone boolean NOT NULL DEFAULT false;

-- Model alerts (drift, quality) read from `model-alerts`, and what alerting made of each: notified
-- (queued for the operators' destinations) or cooldown (the same condition was notified recently).
-- The primary key makes a re-delivered model alert a no-op.
CREATE TABLE alerting_model_alerts (
  alert_id      text PRIMARY KEY,
  model_version text NOT NULL,
  kind          text NOT NULL,
  subject       text NOT NULL,
  condition_key text NOT NULL,
  value         double precision NOT NULL,
  threshold     double precision NOT NULL,
  message       text NOT NULL,
  created_at    timestamptz NOT NULL,
  outcome       text NOT NULL CHECK (outcome IN ('notified', 'cooldown')),
  received_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerting_model_alerts_notified ON alerting_model_alerts (condition_key, created_at DESC) WHERE outcome = 'notified';

-- The operators' destinations share the outbox, its claims, leases, dead/parked rules and send slots.
ALTER TABLE alert_notifications ADD COLUMN model_alert_id text REFERENCES alerting_model_alerts (alert_id);
ALTER TABLE alert_notifications DROP CONSTRAINT alert_notifications_channel_check;
ALTER TABLE alert_notifications ADD CONSTRAINT alert_notifications_channel_check CHECK (channel IN ('slack', 'email', 'ops_slack', 'ops_email'));
ALTER TABLE alert_notifications DROP CONSTRAINT alert_notifications_kind_check;
ALTER TABLE alert_notifications ADD CONSTRAINT alert_notifications_kind_check CHECK (kind IN ('alert', 'digest', 'model_alert'));
ALTER TABLE alert_destinations DROP CONSTRAINT alert_destinations_channel_check;
ALTER TABLE alert_destinations ADD CONSTRAINT alert_destinations_channel_check CHECK (channel IN ('slack', 'email', 'ops_slack', 'ops_email'));

-- Down Migration
DELETE FROM alert_notifications WHERE channel IN ('ops_slack', 'ops_email');
DELETE FROM alert_destinations WHERE channel IN ('ops_slack', 'ops_email');
ALTER TABLE alert_destinations DROP CONSTRAINT alert_destinations_channel_check;
ALTER TABLE alert_destinations ADD CONSTRAINT alert_destinations_channel_check CHECK (channel IN ('slack', 'email'));
ALTER TABLE alert_notifications DROP CONSTRAINT alert_notifications_kind_check;
ALTER TABLE alert_notifications ADD CONSTRAINT alert_notifications_kind_check CHECK (kind IN ('alert', 'digest'));
ALTER TABLE alert_notifications DROP CONSTRAINT alert_notifications_channel_check;
ALTER TABLE alert_notifications ADD CONSTRAINT alert_notifications_channel_check CHECK (channel IN ('slack', 'email'));
ALTER TABLE alert_notifications DROP COLUMN model_alert_id;
DROP TABLE alerting_model_alerts;
ALTER TABLE alert_notifications DROP COLUMN send_alone;
ALTER TABLE alert_notifications DROP COLUMN rejected_recipients;
