import type { Aggregate } from '../aggregate.schema';
import type { Attribute } from '../attribute.schema';
import type { FeatureSpec } from '../feature-spec.schema';

interface NamedField {
  readonly name: string;
  readonly field: string;
}

/**
 * The aggregates that read the same events (one event type, one filter; the latest only, or all of
 * a window), and what of those events they need: a state keeps one list of events per stream,
 * whatever the number of aggregates over it.
 */
export interface AggregateStream {
  /** The name of the stream's first aggregate: its key in the state's `windows`. */
  readonly key: string;
  readonly eventType: string;
  readonly filter: Aggregate['filter'];
  readonly aggregates: readonly Aggregate[];
  /** The payload fields the aggregates read (none for count and days_since). */
  readonly fields: readonly string[];
  /** How far back, in milliseconds, an aggregate reads from its time (trend: two windows); null: the whole history. */
  readonly horizonMs: number | null;
  /** Its aggregates read only the latest event (last, days_since): one entry is enough. */
  readonly latestOnly: boolean;
}

/** A spec indexed by event type, for folding events one by one without scanning the spec each time. */
export interface CompiledSpec {
  readonly attributesBy: ReadonlyMap<string, readonly Attribute[]>;
  /** Event types whose earliest occurrence a months_since_first feature counts from. */
  readonly firstOf: ReadonlySet<string>;
  readonly sumsBy: ReadonlyMap<string, readonly NamedField[]>;
  readonly countsBy: ReadonlyMap<string, readonly string[]>;
  readonly streams: readonly AggregateStream[];
  readonly streamsBy: ReadonlyMap<string, readonly AggregateStream[]>;
}

const DAY_MS = 86_400_000;
const compiled = new WeakMap<FeatureSpec, CompiledSpec>();

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** How far back an aggregate reads from its time, in days (null: the whole history). */
export function aggregateLookbackDays(aggregate: Aggregate): number | null {
  const window = aggregate.window_days;
  if (window === undefined) return null;
  return aggregate.kind === 'trend' ? 2 * window : window;
}

const readsLatestOnly = (aggregate: Aggregate) => aggregate.kind === 'last' || aggregate.kind === 'days_since';

/**
 * The aggregates grouped by the events they read, those that read only the latest event apart from
 * those that read all of a window: a days-since-last-login over the whole history beside a count of
 * logins in 30 days keeps one login and 30 days of them, not every login ever.
 */
function streamsOf(aggregates: readonly Aggregate[]): AggregateStream[] {
  const grouped = new Map<string, Aggregate[]>();
  for (const aggregate of aggregates) push(grouped, JSON.stringify([aggregate.event_type, aggregate.filter ?? null, readsLatestOnly(aggregate)]), aggregate);
  return [...grouped.values()].map((members) => {
    const days = members.map(aggregateLookbackDays);
    return {
      key: members[0]!.name,
      eventType: members[0]!.event_type,
      filter: members[0]!.filter,
      aggregates: members,
      fields: [
        ...new Set(
          members.flatMap((a) =>
            a.field === undefined || a.kind === 'count' || a.kind === 'days_since' || (a.kind === 'trend' && a.measure !== 'sum') ? [] : [a.field],
          ),
        ),
      ],
      horizonMs: days.includes(null) ? null : Math.max(...(days as number[])) * DAY_MS,
      latestOnly: readsLatestOnly(members[0]!),
    };
  });
}

export function compileSpec(spec: FeatureSpec): CompiledSpec {
  const cached = compiled.get(spec);
  if (cached) return cached;
  const attributesBy = new Map<string, Attribute[]>();
  const firstOf = new Set<string>();
  const sumsBy = new Map<string, NamedField[]>();
  const countsBy = new Map<string, string[]>();
  for (const attribute of spec.attributes) push(attributesBy, attribute.set_by.event_type, attribute);
  for (const derived of spec.derived) {
    if (derived.kind === 'months_since_first') firstOf.add(derived.event_type);
    else if (derived.kind === 'lifetime_sum') push(sumsBy, derived.event_type, { name: derived.name, field: derived.field });
    else push(countsBy, derived.event_type, derived.name);
  }
  const streams = streamsOf(spec.aggregates);
  const streamsBy = new Map<string, AggregateStream[]>();
  for (const stream of streams) push(streamsBy, stream.eventType, stream);
  const result: CompiledSpec = { attributesBy, firstOf, sumsBy, countsBy, streams, streamsBy };
  compiled.set(spec, result);
  return result;
}
