import type { FeatureSpec } from '../feature-spec.schema';
import { compileSpec } from './compiled-spec';
import { addDecimal } from './exact-decimal';
import type { ApplyResult, AttributeValue, EvaluatedEvent, EvaluatorState, SubscriptionStatus } from './evaluator-types';
import { payloadNumber, payloadScalar } from './payload-field';
import { nextWindows } from './windowed-events';

// The attributes one event set share its time: parsing each distinct text once is most of the fold's cost.
let parsedText = '';
let parsedTime = Number.NaN;
function time(iso: string): number {
  if (iso !== parsedText) {
    parsedText = iso;
    parsedTime = Date.parse(iso);
  }
  return parsedTime;
}

/** The event types that open and close a customer's subscription (schema versions 1 and 2 alike). */
export const SUBSCRIPTION_CANCELLED = 'subscription.cancelled';
export const SUBSCRIPTION_REACTIVATED = 'subscription.reactivated';

/** Whether the customer's subscription is cancelled in this state (no state, or no such event: open). */
export function isCancelled(state: EvaluatorState | null | undefined): boolean {
  return state?.subscription?.cancelled === true;
}

/**
 * The subscription after a cancellation or reactivation: it replaces the current status only when it
 * is later by (occurred_at, event_id) — an older one arriving late is recorded, not applied, so the
 * status is the same whatever order the events arrive in.
 */
function nextSubscription(current: SubscriptionStatus | undefined, event: EvaluatedEvent, at: number): SubscriptionStatus | undefined {
  if (event.event_type !== SUBSCRIPTION_CANCELLED && event.event_type !== SUBSCRIPTION_REACTIVATED) return current;
  if (current) {
    const currentAt = time(current.at);
    if (at < currentAt || (at === currentAt && event.event_id <= current.eventId)) return current;
  }
  return { cancelled: event.event_type === SUBSCRIPTION_CANCELLED, at: event.occurred_at, eventId: event.event_id };
}

/** The state of a customer before any event; `first` is the customer's first event to be applied. */
export function emptyEvaluatorState(first: EvaluatedEvent): EvaluatorState {
  return { attributes: {}, firstAt: {}, sums: {}, counts: {}, firstEventAt: first.occurred_at, lastEventAt: first.occurred_at, lastEventId: first.event_id };
}

/**
 * Folds one event into a customer's state (`undefined`: the customer's first event). Each attribute
 * the payload carries is last-write-wins by occurred_at (an equal time wins: the later arrival); v1
 * payloads (every field) and v2 payloads (any subset) follow the one rule. Lifetime sums and counts
 * add up, whatever the order (the ledger guarantees each event is applied once). The events an
 * aggregate can still read are kept in `windows` (nextWindows). Cancellations and reactivations set
 * the subscription's status (`nextSubscription`); `cancelledNow` says the event closed an open
 * subscription.
 */
export function applyEvent(spec: FeatureSpec, state: EvaluatorState | undefined, event: EvaluatedEvent): ApplyResult {
  const compiledSpec = compileSpec(spec);
  const before = state ?? emptyEvaluatorState(event);
  const at = time(event.occurred_at);
  const type = event.event_type;

  let attributes = before.attributes;
  let carried = 0;
  let written = 0;
  for (const attribute of compiledSpec.attributesBy.get(type) ?? []) {
    const value = payloadScalar(event.payload, attribute.set_by.field);
    if (value === undefined) continue;
    carried += 1;
    const current = before.attributes[attribute.name];
    if (current && at < time(current.at)) continue;
    if (attributes === before.attributes) attributes = { ...before.attributes };
    (attributes as Record<string, AttributeValue>)[attribute.name] = { value, at: event.occurred_at };
    written += 1;
  }

  let firstAt = before.firstAt;
  const first = before.firstAt[type];
  if (compiledSpec.firstOf.has(type) && (first === undefined || at < time(first))) firstAt = { ...before.firstAt, [type]: event.occurred_at };

  let sums = before.sums;
  for (const { name, field } of compiledSpec.sumsBy.get(type) ?? []) {
    const amount = payloadNumber(event.payload, field);
    if (amount !== undefined) sums = { ...sums, [name]: addDecimal(sums[name] ?? '0', amount) };
  }

  let counts = before.counts;
  for (const name of compiledSpec.countsBy.get(type) ?? []) counts = { ...counts, [name]: (counts[name] ?? 0) + 1 };

  const subscription = nextSubscription(before.subscription, event, at);
  const statusEvent = event.event_type === SUBSCRIPTION_CANCELLED || event.event_type === SUBSCRIPTION_REACTIVATED;
  const cancelledNow = subscription !== before.subscription && subscription?.cancelled === true && before.subscription?.cancelled !== true;

  const previousLatestAt = time(before.lastEventAt);
  const latest = at >= previousLatestAt;
  const windows = nextWindows(compiledSpec, before.windows, event, at, previousLatestAt, Math.max(at, previousLatestAt));
  return {
    state: {
      attributes,
      firstAt,
      sums,
      counts,
      firstEventAt: at < time(before.firstEventAt) ? event.occurred_at : before.firstEventAt,
      lastEventAt: latest ? event.occurred_at : before.lastEventAt,
      lastEventId: latest ? event.event_id : before.lastEventId,
      ...(subscription ? { subscription } : {}),
      ...(windows ? { windows } : {}),
    },
    applied: statusEvent ? subscription !== before.subscription : carried === 0 || written > 0,
    ...(cancelledNow ? { cancelledNow } : {}),
  };
}

/** Folds events in the order given (the order they arrived in, or occurred_at order with arrival breaking ties). */
export function foldEvents(spec: FeatureSpec, events: Iterable<EvaluatedEvent>, state?: EvaluatorState): EvaluatorState | undefined {
  let folded = state;
  for (const event of events) folded = applyEvent(spec, folded, event).state;
  return folded;
}
