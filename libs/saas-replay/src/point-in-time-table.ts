import { CustomerEventTypes } from '@churn/contracts';
import { aggregateValues, featureColumns, featureVector, foldEvents, type FeatureSpec, type FeatureValue } from '@churn/feature-spec';
import { SaasReplayError } from './saas-replay.error';

const DAY_MS = 86_400_000;

/** An event of the log as the table reads it: any schema version, any business. */
export interface TableEvent {
  readonly event_id: string;
  readonly event_type: string;
  readonly customer_id: string;
  /** ISO-8601 with zone. */
  readonly occurred_at: string;
  readonly payload: unknown;
}

/**
 * A customer's feature vector as of `asOf` by the platform's one evaluator — its state folded from the
 * events, its aggregates over them at `asOf` — as `churn rescore --as-of` computes it; undefined until
 * the customer has every required attribute. `events`: the customer's events up to `asOf`, in time order.
 */
export function vectorAsOf(spec: FeatureSpec, events: readonly TableEvent[], asOf: string): Readonly<Record<string, FeatureValue>> | undefined {
  const state = foldEvents(spec, events);
  return state && featureVector(spec, state, asOf, aggregateValues(spec, events, asOf));
}

export interface PointInTimeOptions {
  /** The snapshot S: features as of S, label = cancelled in (S, S + horizonDays]. */
  readonly snapshotTime: string;
  /** Default 90. */
  readonly horizonDays?: number;
  /** The end of the event log: the label window must end by then, or labels would be cut short. */
  readonly dataEndTime: string;
}

export interface PointInTimeTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Customers active at the snapshot whom the evaluator gave no vector (left out of the rows). */
  readonly withoutVector: readonly string[];
}

/** The label's "stayed" value for the spellings `spec infer` recognises, so that the table reads like its input would. */
const NEGATIVE_OF: Readonly<Record<string, string>> = {
  yes: 'no',
  Yes: 'No',
  YES: 'NO',
  true: 'false',
  True: 'False',
  TRUE: 'FALSE',
  '1': '0',
  y: 'n',
  Y: 'N',
};

/**
 * One row per customer active at the snapshot (an event at or before it, and no cancellation at or
 * before it that a later reactivation undid): the id, every feature of the spec as of the snapshot, and
 * the label (a cancellation taking effect within the horizon after the snapshot). Rows are in id order.
 * `histories` holds each customer's events in time order.
 */
export function pointInTimeTable(histories: ReadonlyMap<string, readonly TableEvent[]>, spec: FeatureSpec, options: PointInTimeOptions): PointInTimeTable {
  const { label } = spec;
  if (!label)
    throw new SaasReplayError(
      'POINT_IN_TIME_TABLE_INVALID',
      `the spec${spec.name ? ` ${spec.name}` : ''} declares no label: a training table needs label.column and label.positive`,
    );
  const negative = NEGATIVE_OF[label.positive];
  if (negative === undefined)
    throw new SaasReplayError(
      'POINT_IN_TIME_TABLE_INVALID',
      `label.positive "${label.positive}" has no known opposite (one of ${Object.keys(NEGATIVE_OF).join(', ')})`,
    );
  const snapshotMs = Date.parse(options.snapshotTime);
  const horizonMs = (options.horizonDays ?? 90) * DAY_MS;
  if (!Number.isFinite(snapshotMs)) throw new SaasReplayError('POINT_IN_TIME_TABLE_INVALID', `snapshotTime is not a time: ${options.snapshotTime}`);
  if (snapshotMs + horizonMs > Date.parse(options.dataEndTime)) {
    throw new SaasReplayError(
      'POINT_IN_TIME_TABLE_INVALID',
      `the label window ends at ${new Date(snapshotMs + horizonMs).toISOString()}, after the data's end ${options.dataEndTime}`,
    );
  }
  const snapshot = new Date(snapshotMs).toISOString();
  const features = featureColumns(spec);
  const columns = features.map((f) => (f.section === 'attributes' ? (spec.attributes.find((a) => a.name === f.name)?.column ?? f.name) : f.name));
  const rows: string[][] = [];
  const withoutVector: string[] = [];
  for (const [customerId, events] of histories) {
    const known = events.filter((e) => Date.parse(e.occurred_at) <= snapshotMs);
    if (known.length === 0 || cancelledBy(known)) continue;
    const vector = vectorAsOf(spec, known, snapshot);
    if (!vector) {
      withoutVector.push(customerId);
      continue;
    }
    const churned = events.some((e) => e.event_type === CustomerEventTypes.subscriptionCancelled && within(e, snapshotMs, snapshotMs + horizonMs));
    rows.push([customerId, ...features.map((f) => cell(vector[f.name])), churned ? label.positive : negative]);
  }
  // By id, so that the file reads the same whatever order the event log came in.
  const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  rows.sort((a, b) => byId(a[0]!, b[0]!));
  return { header: [spec.customer_id.column, ...columns, label.column], rows, withoutVector: withoutVector.sort(byId) };
}

function within(event: TableEvent, afterMs: number, untilMs: number): boolean {
  const at = Date.parse(event.occurred_at);
  return at > afterMs && at <= untilMs;
}

/** Whether the latest of the customer's cancellations and reactivations is a cancellation. */
function cancelledBy(events: readonly TableEvent[]): boolean {
  for (let i = events.length - 1; i >= 0; i--) {
    const type: string = events[i]!.event_type;
    if (type === CustomerEventTypes.subscriptionCancelled) return true;
    if (type === CustomerEventTypes.subscriptionReactivated) return false;
  }
  return false;
}

function cell(value: FeatureValue | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

/** Groups an event stream by customer, each customer's events in the stream's order. */
export function groupByCustomer(events: Iterable<TableEvent>): Map<string, TableEvent[]> {
  const grouped = new Map<string, TableEvent[]>();
  for (const event of events) {
    const list = grouped.get(event.customer_id);
    if (list) list.push(event);
    else grouped.set(event.customer_id, [event]);
  }
  return grouped;
}
