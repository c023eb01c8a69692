import { createHash } from 'node:crypto';
import type { Queryable } from '@churn/db';

/** Where an intervention record came from: monitoring's API (one JSON record or a CSV file) or a CRM's completed task. */
export type InterventionSource = 'api' | 'import' | 'salesforce' | 'hubspot';

export interface NewIntervention {
  readonly customer_id: string;
  readonly performed_by: string;
  /** ISO 8601 with a zone. */
  readonly performed_at: string;
  readonly action: string;
  readonly channel?: string | undefined;
  readonly offer?: string | undefined;
  /** ≥ 0, in the currency of the ROI figures; null when the source knows none (a completed CRM task). */
  readonly cost: number | null;
  readonly experiment_name?: string | undefined;
  readonly experiment_arm?: string | undefined;
  /** The sender's own id of the record (a CRM task id, a row id in the sender's system). */
  readonly source_key?: string | undefined;
}

/** A recorded cost, as ROI and the experiment report read it; `cost` null: done, at no recorded cost. */
export interface RecordedInterventionCost {
  customer_id: string;
  performed_at: Date;
  cost: number | null;
}

/**
 * People (api, import) share one key space, so a record posted as JSON and then imported in a file is
 * the same record; each CRM has its own, since its task ids mean nothing elsewhere.
 */
function keySpace(source: InterventionSource): string {
  return source === 'api' || source === 'import' ? 'people' : source;
}

/**
 * The id that makes re-sending an intervention change nothing: from the source's key when the record
 * has one, otherwise from customer, time (normalised to the millisecond in UTC), action and who.
 */
export function interventionId(source: InterventionSource, record: NewIntervention): string {
  const parts = record.source_key
    ? ['key', keySpace(source), record.source_key]
    : ['record', record.customer_id, new Date(record.performed_at).toISOString(), record.action, record.performed_by];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

/** Interventions people and CRMs recorded; monitoring reads their costs for ROI. */
export class InterventionRepository {
  /** Stores interventions; one already stored (same id) is left as it is. Returns how many were new. */
  async insertNew(tx: Queryable, source: InterventionSource, records: readonly NewIntervention[]): Promise<number> {
    if (records.length === 0) return 0;
    const rows = await tx.query<{ intervention_id: string }>(
      'interventions.insert_new',
      `INSERT INTO interventions (intervention_id, source, source_key, customer_id, performed_by, performed_at, action, channel, offer,
                                  cost, experiment_name, experiment_arm)
       SELECT u.intervention_id, $12::text, u.source_key, u.customer_id, u.performed_by, u.performed_at, u.action, u.channel, u.offer,
              u.cost, u.experiment_name, u.experiment_arm
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[],
                     $9::numeric[], $10::text[], $11::text[])
           AS u(intervention_id, source_key, customer_id, performed_by, performed_at, action, channel, offer, cost, experiment_name, experiment_arm)
       ON CONFLICT (intervention_id) DO NOTHING
       RETURNING intervention_id`,
      [
        records.map((r) => interventionId(source, r)),
        records.map((r) => r.source_key ?? null),
        records.map((r) => r.customer_id),
        records.map((r) => r.performed_by),
        records.map((r) => r.performed_at),
        records.map((r) => r.action),
        records.map((r) => r.channel ?? null),
        records.map((r) => r.offer ?? null),
        records.map((r) => r.cost),
        records.map((r) => r.experiment_name ?? null),
        records.map((r) => r.experiment_arm ?? null),
        source,
      ],
    );
    return rows.length;
  }

  /** Every intervention performed at or after `since` (all of them without): customer, time and cost. */
  async costsSince(db: Queryable, since: Date | null): Promise<RecordedInterventionCost[]> {
    return db.query<RecordedInterventionCost>(
      'interventions.costs_since',
      `SELECT customer_id, performed_at, cost::float8 AS cost FROM interventions
        WHERE $1::timestamptz IS NULL OR performed_at >= $1::timestamptz`,
      [since],
    );
  }

  async count(db: Queryable): Promise<number> {
    const rows = await db.query<{ n: string }>('interventions.count', 'SELECT count(*) AS n FROM interventions');
    return Number(rows[0]?.n ?? 0);
  }
}
