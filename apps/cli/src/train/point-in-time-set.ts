import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { type Queryable } from '@churn/db';
import { CustomerHistoryRepository } from '@churn/ingest-data';
import { OutcomeRepository } from '@churn/monitoring-data';
import type { FeatureSpec } from '@churn/feature-spec';
import { eventsByCustomer } from '@churn/feature-state';
import { pointInTimeRow, requireLabel, trainingCutOff, trainingSetHeader } from './point-in-time-row';

export interface PointInTimeSetOptions {
  readonly labelDelayDays: number;
  /** Where the table is written (kept: it is what the model is trained on). */
  readonly file: string;
  /** Where the spec came from, for messages. */
  readonly specSource: string;
  /** Customers read and written per step. */
  readonly pageSize?: number;
}

export interface PointInTimeSet {
  readonly file: string;
  /** Customers with an outcome. */
  readonly customers: number;
  /** Rows written: customers whose vector was complete at their cut-off. */
  readonly rows: number;
  readonly churners: number;
  /** Customers with an outcome left out: their vector was incomplete at the cut-off (or they had no event by then). */
  readonly incomplete: number;
}

/** A point-in-time set nobody should train on. */
export class TrainingSetError extends Error {
  constructor(
    readonly code: 'TOO_FEW_ROWS' | 'ONE_CLASS',
    message: string,
  ) {
    super(message);
    this.name = 'TrainingSetError';
  }
}

/**
 * Builds a training table from the platform's own history: every customer with an outcome, labelled
 * by its latest outcome, its vector computed by the evaluator ingest uses from the event log as of
 * `trainingCutOff` (its outcome's time less the label delay). Pages through outcomes by customer id
 * and reads each page's events in one statement, appending the page's rows to the file: memory is
 * bounded by a page, and no long query or lock holds the live tables.
 */
export async function buildPointInTimeSet(db: Queryable, spec: FeatureSpec, options: PointInTimeSetOptions): Promise<PointInTimeSet> {
  requireLabel(spec, options.specSource);
  const outcomes = new OutcomeRepository();
  const history = new CustomerHistoryRepository();
  const pageSize = options.pageSize ?? 500;
  fs.mkdirSync(path.dirname(options.file), { recursive: true });
  fs.writeFileSync(options.file, stringify([trainingSetHeader(spec)]));
  let after: string | null = null;
  let customers = 0;
  let rows = 0;
  let churners = 0;
  for (;;) {
    const page = await outcomes.latestPage(db, after, pageSize);
    if (page.length === 0) break;
    after = page[page.length - 1]!.customerId;
    const cutOffs = new Map(page.map((o) => [o.customerId, trainingCutOff(o.observedAt, options.labelDelayDays)]));
    const events = eventsByCustomer(await history.eventsUpToEach(db, cutOffs));
    const records: string[][] = [];
    for (const outcome of page) {
      const row = pointInTimeRow(spec, outcome.customerId, events.get(outcome.customerId) ?? [], cutOffs.get(outcome.customerId)!, outcome.churned);
      if (!row) continue;
      records.push(row);
      if (outcome.churned) churners++;
    }
    fs.appendFileSync(options.file, stringify(records));
    customers += page.length;
    rows += records.length;
  }
  return { file: options.file, customers, rows, churners, incomplete: customers - rows };
}

/** Refuses a set too small or of one class to learn from. */
export function checkTrainable(set: PointInTimeSet, minRows: number, labelDelayDays: number): void {
  if (set.rows < minRows) {
    throw new TrainingSetError(
      'TOO_FEW_ROWS',
      `only ${set.rows} customers have a complete vector ${labelDelayDays} days before their outcome (${set.customers} with an outcome, ${set.incomplete} incomplete then); need ${minRows}`,
    );
  }
  if (set.churners === 0 || set.churners === set.rows) throw new TrainingSetError('ONE_CLASS', 'the outcomes hold one class only; nothing to learn from');
}
