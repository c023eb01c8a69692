-- Up Migration

-- The evaluator's state now carries the subscription's status (cancelled / reactivated). States folded
-- before it do not: those of customers with a cancellation or reactivation in the event log are marked
-- for rebuilding (spec_hash NULL), which ingest does from the log at the customer's next event.
UPDATE customer_state s SET spec_hash = NULL
 WHERE EXISTS (SELECT 1 FROM processed_events e
                WHERE e.customer_id = s.customer_id AND e.event_type IN ('subscription.cancelled', 'subscription.reactivated'));

-- Down Migration
SELECT 1;
