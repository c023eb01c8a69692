import type { Queryable } from '@churn/db';

export interface ReceivedModelAlert {
  alert_id: string;
  model_version: string;
  kind: string;
  subject: string;
  /** The condition a cool-down applies to: the same model, kind and subject. */
  condition_key: string;
  value: number;
  threshold: number;
  message: string;
  created_at: Date;
}

export type ModelAlertOutcome = 'notified' | 'cooldown';

/**
 * Alerting's record of the model alerts it read from `model-alerts` and what it made of each. Callers
 * hold the condition's advisory lock (`lockConditions`) in the same transaction, so two instances
 * never both decide that a condition is out of its cool-down.
 */
export class AlertingModelAlertRepository {
  /** Transaction-scoped locks on the conditions, in a fixed order so batches never deadlock. */
  async lockConditions(tx: Queryable, conditionKeys: readonly string[]): Promise<void> {
    const keys = [...new Set(conditionKeys)].sort();
    if (keys.length === 0) return;
    await tx.query(
      'alerting_model_alerts.lock_conditions',
      `SELECT pg_advisory_xact_lock(hashtextextended('alerting-model-alert:' || k, 0)) FROM unnest($1::text[]) AS k ORDER BY k`,
      [keys],
    );
  }

  /** The ids among `alertIds` that were already received (a re-delivery). */
  async known(tx: Queryable, alertIds: readonly string[]): Promise<Set<string>> {
    if (alertIds.length === 0) return new Set();
    const rows = await tx.query<{ alert_id: string }>(
      'alerting_model_alerts.known',
      'SELECT alert_id FROM alerting_model_alerts WHERE alert_id = ANY($1::text[])',
      [[...alertIds]],
    );
    return new Set(rows.map((r) => r.alert_id));
  }

  /** Whether a model alert of this condition was notified with `created_at` within (since, until]. */
  async notifiedWithin(tx: Queryable, conditionKey: string, since: Date, until: Date): Promise<boolean> {
    const rows = await tx.query(
      'alerting_model_alerts.notified_within',
      `SELECT 1 FROM alerting_model_alerts
        WHERE condition_key = $1 AND outcome = 'notified' AND created_at > $2 AND created_at <= $3 LIMIT 1`,
      [conditionKey, since, until],
    );
    return rows.length > 0;
  }

  /** Records a model alert; false when it was already there. */
  async insert(tx: Queryable, alert: ReceivedModelAlert, outcome: ModelAlertOutcome): Promise<boolean> {
    const rows = await tx.query(
      'alerting_model_alerts.insert',
      `INSERT INTO alerting_model_alerts (alert_id, model_version, kind, subject, condition_key, value, threshold, message, created_at, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (alert_id) DO NOTHING RETURNING alert_id`,
      [
        alert.alert_id,
        alert.model_version,
        alert.kind,
        alert.subject,
        alert.condition_key,
        alert.value,
        alert.threshold,
        alert.message,
        alert.created_at,
        outcome,
      ],
    );
    return rows.length === 1;
  }

  async findById(db: Queryable, alertId: string): Promise<(ReceivedModelAlert & { outcome: ModelAlertOutcome }) | undefined> {
    const rows = await db.query<ReceivedModelAlert & { outcome: ModelAlertOutcome }>(
      'alerting_model_alerts.find',
      `SELECT alert_id, model_version, kind, subject, condition_key, value, threshold, message, created_at, outcome
         FROM alerting_model_alerts WHERE alert_id = $1`,
      [alertId],
    );
    return rows[0];
  }
}
