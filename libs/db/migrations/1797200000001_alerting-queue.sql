-- Up Migration

-- The work queue: an alert can be assigned to a person, carries the notes given with its
-- acknowledgment and resolution, and an acknowledgment older than ALERT_ACK_EXPIRY_HOURS becomes
-- `expired` (it no longer suppresses the customer's next alerts) at `expired_at`.
ALTER TABLE alerts DROP CONSTRAINT alerts_status_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_status_check CHECK (status IN ('pending', 'acknowledged', 'resolved', 'expired'));
ALTER TABLE alerts ADD COLUMN assignee text;
ALTER TABLE alerts ADD COLUMN assigned_at timestamptz;
ALTER TABLE alerts ADD COLUMN acknowledge_note text;
ALTER TABLE alerts ADD COLUMN resolve_note text;
ALTER TABLE alerts ADD COLUMN expired_at timestamptz;
CREATE INDEX alerts_assignee_status ON alerts (assignee, status) WHERE assignee IS NOT NULL;
CREATE INDEX alerts_acknowledged_open ON alerts (acknowledged_at) WHERE status = 'acknowledged';

-- Changes of alerts waiting to be published on `alert-updates`: written in the transaction of the
-- change, published by alerting's relay in id order, then marked. A row published and not yet marked
-- (a crash in between) is published again with the same update_id.
CREATE TABLE alert_updates_outbox (
  id           bigserial PRIMARY KEY,
  update_id    text NOT NULL UNIQUE,
  customer_id  text NOT NULL,
  payload      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX alert_updates_outbox_unpublished ON alert_updates_outbox (id) WHERE published_at IS NULL;
CREATE INDEX alert_updates_outbox_published ON alert_updates_outbox (published_at) WHERE published_at IS NOT NULL;

-- Down Migration
DROP TABLE alert_updates_outbox;
DROP INDEX alerts_acknowledged_open;
DROP INDEX alerts_assignee_status;
ALTER TABLE alerts DROP COLUMN expired_at;
ALTER TABLE alerts DROP COLUMN resolve_note;
ALTER TABLE alerts DROP COLUMN acknowledge_note;
ALTER TABLE alerts DROP COLUMN assigned_at;
ALTER TABLE alerts DROP COLUMN assignee;
ALTER TABLE alerts DROP CONSTRAINT alerts_status_check;
UPDATE alerts SET status = 'acknowledged' WHERE status = 'expired';
ALTER TABLE alerts ADD CONSTRAINT alerts_status_check CHECK (status IN ('pending', 'acknowledged', 'resolved'));
