import {
  aggregateValues,
  featureVector,
  foldEvents,
  modelInputsOf,
  type EvaluatedEvent,
  type EvaluatorState,
  type FeatureSpec,
  type FeatureValue,
  type FeatureVector,
} from '@churn/feature-spec';
import type { LoggedEvent } from './history-types';

/** The event as it was received, from its row in the event log (validated when it was ingested). */
export function toEvaluatedEvent(logged: LoggedEvent): EvaluatedEvent {
  return { event_id: logged.eventId, event_type: logged.eventType, occurred_at: logged.occurredAt, payload: logged.payload };
}

/** Logged events by customer, each customer's in the order given (the log's order). */
export function eventsByCustomer(events: readonly LoggedEvent[]): Map<string, EvaluatedEvent[]> {
  const byCustomer = new Map<string, EvaluatedEvent[]>();
  for (const logged of events) {
    const list = byCustomer.get(logged.customerId);
    if (list) list.push(toEvaluatedEvent(logged));
    else byCustomer.set(logged.customerId, [toEvaluatedEvent(logged)]);
  }
  return byCustomer;
}

/**
 * Rebuilds customers' states from their logged events by the rules ingest applies live (the same
 * evaluator). Read in occurred_at order, ties in arrival order, as eventsUpTo returns them: the result
 * is the state ingest reached once those events had arrived, in whatever order they did.
 */
export function foldHistory(spec: FeatureSpec, events: readonly LoggedEvent[]): Map<string, EvaluatorState> {
  const states = new Map<string, EvaluatorState>();
  for (const [customerId, own] of eventsByCustomer(events)) states.set(customerId, foldEvents(spec, own)!);
  return states;
}

/** A state's vector at `asOf`, its aggregates computed from the customer's logged events (those after `asOf` are ignored). */
export function vectorAt(spec: FeatureSpec, state: EvaluatorState, events: readonly EvaluatedEvent[], asOf: string): FeatureVector | undefined {
  return featureVector(spec, state, asOf, aggregateValues(spec, events, asOf));
}

/**
 * The model inputs a state determines on its own, at its latest event: what a stored state can be
 * checked against (a training row) without the event log. Undefined while the vector is incomplete.
 */
export function stateFeatures(spec: FeatureSpec, state: EvaluatorState | null | undefined): Record<string, FeatureValue> | undefined {
  if (!state) return undefined;
  const noAggregates = Object.fromEntries(spec.aggregates.map((a) => [a.name, null]));
  const vector = featureVector(spec, state, state.lastEventAt, noAggregates);
  return vector && Object.fromEntries(Object.entries(modelInputsOf(spec, vector)).filter(([name]) => !(name in noAggregates)));
}
