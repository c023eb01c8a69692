-- Up Migration

-- Each alert's figures as its newest update on `alert-updates` carries them: what the dashboard's
-- queue (pending alerts, most severe first) and the report's acknowledgment SLA read, so monitoring
-- reads no table of alerting's. Filled from alerting's `alerts` while the services share a database
-- (alerts monitoring has no update of yet included); an alert whose updates carried none keeps nulls.
ALTER TABLE monitoring_customer_alerts
  ADD COLUMN risk_score smallint,
  ADD COLUMN message text,
  ADD COLUMN raised_at timestamptz,
  ADD COLUMN acknowledged_at timestamptz;
CREATE INDEX monitoring_customer_alerts_pending ON monitoring_customer_alerts (risk_score DESC, raised_at DESC) WHERE state = 'pending';
CREATE INDEX monitoring_customer_alerts_raised_at ON monitoring_customer_alerts (raised_at);

DO $$
BEGIN
  IF to_regclass('alerts') IS NOT NULL THEN
    UPDATE monitoring_customer_alerts m
       SET risk_score = a.risk_score, message = a.message, raised_at = a.created_at, acknowledged_at = a.acknowledged_at
      FROM alerts a
     WHERE a.alert_id = m.alert_id;
    INSERT INTO monitoring_customer_alerts (alert_id, customer_id, level, state, assignee, due_at, occurred_at, update_id, risk_score, message, raised_at, acknowledged_at)
    SELECT a.alert_id, a.customer_id, a.level, a.status, a.assignee, NULL, a.created_at, a.alert_id || ':seeded', a.risk_score, a.message, a.created_at, a.acknowledged_at
      FROM alerts a
     WHERE NOT EXISTS (SELECT 1 FROM monitoring_customer_alerts m WHERE m.alert_id = a.alert_id);
  END IF;
END $$;

-- Down Migration
ALTER TABLE monitoring_customer_alerts DROP COLUMN risk_score, DROP COLUMN message, DROP COLUMN raised_at, DROP COLUMN acknowledged_at;
