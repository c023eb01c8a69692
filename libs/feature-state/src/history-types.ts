/** One event of the log (processed_events) as stored: enough to rebuild a customer's state at any time. */
export interface LoggedEvent {
  readonly eventId: string;
  readonly customerId: string;
  readonly eventType: string;
  readonly occurredAt: string;
  readonly payload: unknown;
}
