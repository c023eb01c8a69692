/** One event of the log (processed_events) as stored: enough to rebuild a customer's state at any time. */
export interface LoggedEvent {
  readonly eventId: string;
  readonly customerId: string;
  readonly eventType: string;
  readonly occurredAt: string;
  readonly payload: unknown;
}

/** Behavioural aggregates of one customer in the windows that end at `asOf` (inclusive). */
export interface BehaviourCounts {
  readonly paymentFailures30d: number;
  readonly paymentFailures90d: number;
  readonly supportTickets30d: number;
  readonly supportTickets90d: number;
  /** Sum of usage.reported quantities in the last 30 days, and in the 30 days before them; null without any. */
  readonly usageLast30d: number | null;
  readonly usagePrior30d: number | null;
}
