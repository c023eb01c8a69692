import type { CustomerEvent } from '@churn/contracts';
import type { CustomerState } from './customer-state';
import type { LoggedEvent } from './history-types';
import { applyEvent, emptyState } from './feature-state';

/** The event as it was received, from its row in the event log (validated when it was ingested). */
export function toCustomerEvent(logged: LoggedEvent): CustomerEvent {
  return {
    event_id: logged.eventId,
    event_type: logged.eventType,
    customer_id: logged.customerId,
    occurred_at: logged.occurredAt,
    schema_version: 1,
    payload: logged.payload,
  } as CustomerEvent;
}

/**
 * Rebuilds customers' states from their logged events by the same rules the ingest applies live.
 * Last-write-wins by occurred_at makes the result independent of the order events arrived in.
 */
export function foldHistory(events: readonly LoggedEvent[]): Map<string, CustomerState> {
  const states = new Map<string, CustomerState>();
  for (const logged of events) {
    const event = toCustomerEvent(logged);
    const before = states.get(event.customer_id) ?? emptyState(event.customer_id, event);
    states.set(event.customer_id, applyEvent(before, event).state);
  }
  return states;
}
