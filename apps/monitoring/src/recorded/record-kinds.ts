import { z } from 'zod';
import { outcomeSchema, zonedTimestamp, type Outcome } from '@churn/contracts';
import { outcomeId } from '@churn/db';
import { interventionId, type NewIntervention } from '@churn/monitoring-data';
import type { RecordKindName } from './row-problems';

export type CellType = 'string' | 'boolean' | 'number';

export interface RecordColumn {
  readonly name: string;
  readonly type: CellType;
  readonly required: boolean;
}

/** What an upload of one kind of record accepts and how its rows are checked beyond their schema. */
export interface RecordKind<T> {
  readonly name: RecordKindName;
  /** The CSV header's columns and the JSON record's fields (no others are accepted). */
  readonly columns: readonly RecordColumn[];
  readonly schema: z.ZodType<T>;
  /** The time that may not be later than now. */
  readonly timeField: string;
  timeOf(record: T): string;
  /** Fields that are costs: a negative one is refused as `negative_cost`. */
  readonly costFields: readonly string[];
  /** Two rows with the same key in one upload are the same record sent twice. */
  duplicateKey(record: T): string;
}

/** Outcomes: the `outcomes` topic's own schema, so both paths accept exactly the same records. */
export const OUTCOME_KIND: RecordKind<Outcome> = {
  name: 'outcomes',
  columns: [
    { name: 'customer_id', type: 'string', required: true },
    { name: 'churned', type: 'boolean', required: true },
    { name: 'observed_at', type: 'string', required: true },
    { name: 'intervention_applied', type: 'boolean', required: false },
    { name: 'intervention_cost', type: 'number', required: false },
    { name: 'revenue_impact', type: 'number', required: false },
    { name: 'experiment_arm', type: 'string', required: false },
    { name: 'outcome_id', type: 'string', required: false },
  ],
  // `source` is not a column: the path sets it (api, import), never the sender.
  schema: outcomeSchema,
  timeField: 'observed_at',
  timeOf: (o) => o.observed_at,
  costFields: ['intervention_cost'],
  // The outcomes table's own key: the outcome id (given, or derived from customer and observation time).
  duplicateKey: (o) => outcomeId(o),
};

const text = (max: number) => z.string().trim().min(1, { message: 'must not be empty' }).max(max);

export const interventionRecordSchema = z.object({
  customer_id: text(200),
  performed_by: text(200),
  performed_at: zonedTimestamp,
  action: text(500),
  channel: text(100).optional(),
  offer: text(200).optional(),
  cost: z.number().finite().nonnegative({ message: 'must not be negative' }),
  experiment_name: text(200).optional(),
  experiment_arm: text(100).optional(),
  source_key: text(200).optional(),
});

export type InterventionRecord = z.output<typeof interventionRecordSchema> & NewIntervention;

export const INTERVENTION_KIND: RecordKind<InterventionRecord> = {
  name: 'interventions',
  columns: [
    { name: 'customer_id', type: 'string', required: true },
    { name: 'performed_by', type: 'string', required: true },
    { name: 'performed_at', type: 'string', required: true },
    { name: 'action', type: 'string', required: true },
    { name: 'cost', type: 'number', required: true },
    { name: 'channel', type: 'string', required: false },
    { name: 'offer', type: 'string', required: false },
    { name: 'experiment_name', type: 'string', required: false },
    { name: 'experiment_arm', type: 'string', required: false },
    { name: 'source_key', type: 'string', required: false },
  ],
  schema: interventionRecordSchema as z.ZodType<InterventionRecord>,
  timeField: 'performed_at',
  timeOf: (i) => i.performed_at,
  costFields: ['cost'],
  // The stored id: a row that would be stored as the same intervention is a duplicate (api and import share it).
  duplicateKey: (i) => interventionId('import', i),
};
