-- Up Migration

-- Delivery attempts of churn alerts' notifications waiting to be published on `alert-notifications`:
-- written in the transaction that marks the attempt on alert_notifications, published by alerting's
-- relay in id order, then marked. A row published and not yet marked (a crash in between) is published
-- again with the same notification_id.
CREATE TABLE alert_notifications_outbox (
  id              bigserial PRIMARY KEY,
  notification_id text NOT NULL UNIQUE,
  customer_id     text NOT NULL,
  payload         jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  published_at    timestamptz
);
CREATE INDEX alert_notifications_outbox_unpublished ON alert_notifications_outbox (id) WHERE published_at IS NULL;
CREATE INDEX alert_notifications_outbox_published ON alert_notifications_outbox (published_at) WHERE published_at IS NOT NULL;

-- Down Migration
DROP TABLE alert_notifications_outbox;
