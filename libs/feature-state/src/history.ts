import { FIXED_EVENT_TYPES, type CustomerEvent } from '@churn/contracts';
import type { CustomerState } from './customer-state';
import type { LoggedEvent } from './history-types';
import { applyEvent, emptyState } from './feature-state';

const SAME_IN_BOTH_VERSIONS = new Set<string>(FIXED_EVENT_TYPES);

/**
 * The event as it was received, from its row in the event log (validated when it was ingested). The log
 * keeps no schema version: a type whose payload the contract fixes reads the same in both; any other
 * payload is read as version 2 (field → value), which applyEvent takes as a Telco payload when it is one.
 */
export function toCustomerEvent(logged: LoggedEvent): CustomerEvent {
  return {
    event_id: logged.eventId,
    event_type: logged.eventType,
    customer_id: logged.customerId,
    occurred_at: logged.occurredAt,
    schema_version: SAME_IN_BOTH_VERSIONS.has(logged.eventType) ? 1 : 2,
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
