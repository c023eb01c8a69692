-- Up Migration

-- Why an alert was resolved: `churned` when alerting resolved it because the customer's churn arrived
-- on `outcomes`; NULL when a person resolved it through the API.
ALTER TABLE alerts ADD COLUMN resolution text CHECK (resolution IN ('churned'));

-- Customers alerting has seen churn (a churned:true outcome, any source), with the latest churn time:
-- a prediction whose as_of is at or before it (a late or replayed one) raises no alert. A prediction
-- after it — the customer reactivated and scored again — is evaluated as usual.
CREATE TABLE alerting_churned_customers (
  customer_id text PRIMARY KEY,
  churned_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE alerting_churned_customers;
ALTER TABLE alerts DROP COLUMN resolution;
