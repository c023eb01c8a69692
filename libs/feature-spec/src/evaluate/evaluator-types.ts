/** A value an attribute takes, as the payload carries it. */
export type ScalarValue = string | number | boolean;

/** A feature's value in the vector: a number, a string (categoricals, encoded booleans), or null when missing. */
export type FeatureValue = number | string | null;

/** Every feature of a spec, keyed by name, in the spec's order (attributes, derived, aggregates). */
export type FeatureVector = Readonly<Record<string, FeatureValue>>;

/** The aggregates of a spec at one time, keyed by name. */
export type AggregateValues = Readonly<Record<string, FeatureValue>>;

/** The part of an event the evaluator reads: the envelope's fields, v1 or v2 alike. */
export interface EvaluatedEvent {
  readonly event_id: string;
  readonly event_type: string;
  /** ISO-8601 with zone. */
  readonly occurred_at: string;
  readonly payload: unknown;
}

/** An attribute's value and the occurred_at of the event that set it (last write wins, per attribute). */
export interface AttributeValue {
  readonly value: ScalarValue;
  readonly at: string;
}

/**
 * The customer's subscription as its `subscription.cancelled` / `subscription.reactivated` events set
 * it: the latest of them by (occurred_at, event_id) wins, whatever order they arrive in.
 */
export interface SubscriptionStatus {
  readonly cancelled: boolean;
  /** occurred_at of the event that set it: for a cancellation, when it takes effect. */
  readonly at: string;
  readonly eventId: string;
}

/**
 * One event an aggregate stream keeps: its occurred_at in epoch milliseconds and, when the stream's
 * aggregates read payload fields, those fields' values (nothing else of the payload).
 */
export type WindowEntry = readonly [at: number, fields?: Readonly<Record<string, ScalarValue>>];

/**
 * A customer's state under a spec, folded event by event; plain JSON, so that it can be stored as is.
 * Aggregates are computed at the vector's time from `windows`: the events of the customer's recent
 * past that they can still read, so that ingest computes a vector from the state alone.
 */
export interface EvaluatorState {
  /** By attribute name; absent until an event sets it. */
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** By event type (those a months_since_first feature counts from): the earliest occurred_at seen. */
  readonly firstAt: Readonly<Record<string, string>>;
  /** By lifetime_sum feature name: the exact sum, as a decimal string. */
  readonly sums: Readonly<Record<string, string>>;
  /** By lifetime_count feature name. */
  readonly counts: Readonly<Record<string, number>>;
  /** The earliest occurred_at seen, of any event type. */
  readonly firstEventAt: string;
  /** The latest occurred_at seen, and the event that carried it (on a tie, the one applied last). */
  readonly lastEventAt: string;
  readonly lastEventId: string;
  /** Absent until a cancellation or reactivation: the subscription is open. */
  readonly subscription?: SubscriptionStatus;
  /**
   * By aggregate stream (the name of its first aggregate; `compileSpec`): the events passing the
   * stream's filter that its aggregates can still read at the latest event or later, oldest first (ties
   * in arrival order). Present whenever the spec has aggregates; a stored state without it predates it
   * and is rebuilt from the event log.
   */
  readonly windows?: Readonly<Record<string, readonly WindowEntry[]>>;
}

export interface ApplyResult {
  readonly state: EvaluatorState;
  /** False when every attribute the event would set already has a newer value (recorded, not applied). */
  readonly applied: boolean;
  /** The event cancelled an open subscription (not a late or repeated cancellation): a churn. */
  readonly cancelledNow?: boolean;
}

/** A programming error: the evaluator was called with inputs that do not belong together. */
export class FeatureEvaluationError extends Error {
  override readonly name = 'FeatureEvaluationError';
}
