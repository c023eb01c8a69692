import type { Aggregate } from '../aggregate.schema';
import type { FeatureSpec } from '../feature-spec.schema';
import { addDecimal, roundDecimal, roundHalfUp } from './exact-decimal';
import type { AggregateValues, EvaluatedEvent, FeatureValue } from './evaluator-types';
import { payloadNumber, payloadScalar } from './payload-field';

export const DAY_MS = 86_400_000;

type Filter = NonNullable<Aggregate['filter']>;

/** Whether an event's payload passes the filter. A field that is absent (or not a scalar) never does. */
export function passesFilter(filter: Filter | undefined, payload: unknown): boolean {
  if (!filter) return true;
  const actual = payloadScalar(payload, filter.field);
  if (actual === undefined) return false;
  const { op, value } = filter;
  const list = Array.isArray(value) ? value : [value];
  switch (op) {
    case 'eq':
      return actual === value;
    case 'ne':
      return actual !== value;
    case 'in':
      return list.includes(actual);
    case 'not_in':
      return !list.includes(actual);
    case 'gt':
      return typeof actual === 'number' && actual > (value as number);
    case 'gte':
      return typeof actual === 'number' && actual >= (value as number);
    case 'lt':
      return typeof actual === 'number' && actual < (value as number);
    case 'lte':
      return typeof actual === 'number' && actual <= (value as number);
  }
}

/** An event as the aggregates read it: when it occurred (epoch ms) and its payload. */
export interface Timed {
  readonly at: number;
  readonly payload: unknown;
}

/** Events of the window (from, to]. */
const within = (events: readonly Timed[], from: number, to: number) => events.filter((e) => e.at > from && e.at <= to);

/** The exact sum of a numeric field; events without it add nothing. */
function sumOf(events: readonly Timed[], field: string): string {
  let sum = '0';
  for (const { payload } of events) {
    const amount = payloadNumber(payload, field);
    if (amount !== undefined) sum = addDecimal(sum, amount);
  }
  return sum;
}

/** The latest event by occurred_at; on a tie, the one later in the log (the later arrival). */
function latest(events: readonly Timed[]): Timed | undefined {
  let found: Timed | undefined;
  for (const e of events) if (!found || e.at >= found.at) found = e;
  return found;
}

const exactSum = (sum: string, decimals: number | undefined) => Number(decimals === undefined ? sum : roundDecimal(sum, decimals));

/**
 * One aggregate at `asOf` (epoch ms) from the events it selects (its type, passing its filter, none
 * after `asOf`), oldest first with ties in arrival order.
 */
export function aggregateValue(aggregate: Aggregate, selected: readonly Timed[], asOf: number): FeatureValue {
  const window = aggregate.window_days === undefined ? undefined : aggregate.window_days * DAY_MS;
  const current = window === undefined ? selected : within(selected, asOf - window, asOf);
  switch (aggregate.kind) {
    case 'count':
      return current.length;
    case 'sum':
      return exactSum(sumOf(current, aggregate.field!), aggregate.decimals);
    case 'mean': {
      const values = current.map((e) => payloadNumber(e.payload, aggregate.field!)).filter((v) => v !== undefined);
      if (values.length === 0) return null;
      return roundHalfUp(Number(sumOf(current, aggregate.field!)) / values.length, aggregate.decimals);
    }
    case 'last': {
      const value = payloadScalar(latest(current)?.payload, aggregate.field!);
      if (value === undefined) return null;
      if (typeof value === 'boolean') return value ? 1 : 0;
      return typeof value === 'number' ? roundHalfUp(value, aggregate.decimals) : value;
    }
    case 'days_since': {
      const last = latest(current);
      return last === undefined ? null : Math.floor((asOf - last.at) / DAY_MS);
    }
    case 'trend': {
      const before = within(selected, asOf - 2 * window!, asOf - window!);
      const measure = (events: readonly Timed[]) => (aggregate.measure === 'sum' ? Number(sumOf(events, aggregate.field!)) : events.length);
      const prior = measure(before);
      if (prior === 0) return null;
      return roundHalfUp((measure(current) - prior) / prior, aggregate.decimals);
    }
  }
}

/**
 * Every aggregate of the spec at time `asOf`, from the customer's logged events (in log order; events
 * after `asOf` and of other types are ignored). A window of w days holds T − w < occurred_at ≤ T; trend's
 * window before it T − 2w < occurred_at ≤ T − w. Sums are exact (decimal), then rounded half up to
 * `decimals`; means, trends and last values are rounded as floats.
 */
export function aggregateValues(spec: FeatureSpec, events: readonly EvaluatedEvent[], asOf: string): AggregateValues {
  const at = Date.parse(asOf);
  const byType = new Map<string, Timed[]>();
  for (const event of events) {
    const t = Date.parse(event.occurred_at);
    if (t > at) continue;
    const list = byType.get(event.event_type);
    if (list) list.push({ at: t, payload: event.payload });
    else byType.set(event.event_type, [{ at: t, payload: event.payload }]);
  }
  const values: Record<string, FeatureValue> = {};
  for (const aggregate of spec.aggregates) {
    const selected = (byType.get(aggregate.event_type) ?? []).filter((e) => passesFilter(aggregate.filter, e.payload));
    values[aggregate.name] = aggregateValue(aggregate, selected, at);
  }
  return values;
}
