import type { FeatureSpec } from '../feature-spec.schema';
import { aggregateValue, passesFilter, type Timed } from './aggregate-values';
import { compileSpec, type AggregateStream, type CompiledSpec } from './compiled-spec';
import {
  FeatureEvaluationError,
  type AggregateValues,
  type EvaluatedEvent,
  type EvaluatorState,
  type FeatureValue,
  type ScalarValue,
  type WindowEntry,
} from './evaluator-types';
import { payloadScalar } from './payload-field';

/*
 * The aggregates' events kept in the customer's state, so that ingest computes a vector from the state
 * it has locked instead of reading the customer's recent event log at every batch. A stream keeps
 * exactly the events its aggregates can read at the customer's latest event or any later time: those
 * that pass its filter and occurred after (latest − horizon). Vectors are only computed at or after
 * the latest event, so an event that falls out of the horizon is never read again; a late event already
 * out of it is not kept. What it gives equals `aggregateValues` over the event log (property tests in
 * online-offline.spec.ts and windowed-events.spec.ts).
 */

type Windows = Readonly<Record<string, readonly WindowEntry[]>>;

/** The entry an event leaves in a stream (its time and the fields the stream reads); undefined when the filter drops it. */
function entryOf(stream: AggregateStream, event: EvaluatedEvent, at: number): WindowEntry | undefined {
  if (!passesFilter(stream.filter, event.payload)) return undefined;
  if (stream.fields.length === 0) return [at];
  const fields: Record<string, ScalarValue> = {};
  for (const field of stream.fields) {
    const value = payloadScalar(event.payload, field);
    if (value !== undefined) fields[field] = value;
  }
  return [at, fields];
}

/** Inserted after every entry of the same time or earlier: oldest first, ties in arrival order (what `latest` reads). */
function inserted(entries: readonly WindowEntry[], entry: WindowEntry): WindowEntry[] {
  let index = entries.length;
  while (index > 0 && entries[index - 1]![0] > entry[0]) index -= 1;
  return [...entries.slice(0, index), entry, ...entries.slice(index)];
}

/** The entries still readable once the latest event is at `latestAt` (the same array when none falls out). */
function readable(stream: AggregateStream, entries: readonly WindowEntry[], latestAt: number): readonly WindowEntry[] {
  if (stream.horizonMs === null) return entries;
  const from = latestAt - stream.horizonMs;
  let first = 0;
  while (first < entries.length && entries[first]![0] <= from) first += 1;
  return first === 0 ? entries : entries.slice(first);
}

/**
 * The streams after one event that occurred at `at`, the customer's latest event having moved from
 * `previousLatestAt` to `latestAt` (epoch ms). Undefined for a spec without aggregates; otherwise always
 * an object (an empty one says "no events kept", which a state from before windows existed cannot say).
 */
export function nextWindows(
  compiledSpec: CompiledSpec,
  before: Windows | undefined,
  event: EvaluatedEvent,
  at: number,
  previousLatestAt: number,
  latestAt: number,
): Windows | undefined {
  if (compiledSpec.streams.length === 0) return before;
  const current: Windows = before ?? {};
  let next: Record<string, readonly WindowEntry[]> | undefined;
  const set = (key: string, entries: readonly WindowEntry[]) => {
    next ??= { ...current };
    if (entries.length === 0) delete next[key];
    else next[key] = entries;
  };
  for (const stream of compiledSpec.streamsBy.get(event.event_type) ?? []) {
    if (stream.horizonMs !== null && at <= latestAt - stream.horizonMs) continue;
    const entry = entryOf(stream, event, at);
    if (!entry) continue;
    const entries = current[stream.key] ?? [];
    if (!stream.latestOnly) set(stream.key, inserted(entries, entry));
    else if (entries.length === 0 || at >= entries[entries.length - 1]![0]) set(stream.key, [entry]);
  }
  if (latestAt > previousLatestAt) {
    for (const stream of compiledSpec.streams) {
      const entries = (next ?? current)[stream.key];
      if (entries === undefined) continue;
      const kept = readable(stream, entries, latestAt);
      if (kept !== entries) set(stream.key, kept);
    }
  }
  return next ?? current;
}

/** Whether a state carries what its spec's aggregates need (a state stored before windows existed does not). */
export function hasWindows(spec: FeatureSpec, state: EvaluatorState): boolean {
  return compileSpec(spec).streams.length === 0 || state.windows !== undefined;
}

/**
 * Every aggregate of the spec at `asOf` (at or after the state's latest event) from the events the
 * state keeps; equal to `aggregateValues` over the customer's event log at the same time.
 */
export function windowedAggregateValues(spec: FeatureSpec, state: EvaluatorState, asOf: string = state.lastEventAt): AggregateValues {
  const { streams } = compileSpec(spec);
  const at = Date.parse(asOf);
  if (streams.length > 0 && !state.windows) throw new FeatureEvaluationError('the state keeps no aggregate windows: rebuild it from the event log');
  if (at < Date.parse(state.lastEventAt)) {
    throw new FeatureEvaluationError(`aggregates as of ${asOf}, before the state's latest event (${state.lastEventAt}), need the event log`);
  }
  const values: Record<string, FeatureValue> = {};
  for (const stream of streams) {
    const selected: Timed[] = (state.windows![stream.key] ?? []).map(([time, fields]) => ({ at: time, payload: fields }));
    for (const aggregate of stream.aggregates) values[aggregate.name] = aggregateValue(aggregate, selected, at);
  }
  return values;
}
