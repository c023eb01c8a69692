import type { Queryable } from '@churn/db';
import type { CrmTarget } from './crm-outbox.repository';

export interface CrmReadbackClaim {
  readonly target: CrmTarget;
  /** Newest last-modified time read so far; null before the first read. */
  readonly watermark: Date | null;
}

export interface CrmReadbackRow {
  target: CrmTarget;
  watermark: Date | null;
  last_attempt_at: Date | null;
  last_success_at: Date | null;
  last_error: string | null;
  tasks_read: string;
}

/** A task the platform created in a CRM: whose customer it is, and which alert it was for. */
export interface PlatformTask {
  readonly customer_id: string;
  readonly alert_id: string;
  readonly external_id: string;
}

/**
 * crm-sync's read-back of completed tasks: per CRM a watermark, a lease (one reader at a time across
 * instances) and the next time a read is due; and the lookups from a task read back to the platform's
 * own record of it (the `task` rows of `crm_outbox`).
 */
export class CrmReadbackRepository {
  /**
   * Claims the CRM's read-back when it is due and no other instance holds it; null otherwise. The
   * lease outlives one read (its calls are cut at their deadlines); `release` ends it early.
   */
  async claim(db: Queryable, target: CrmTarget, leaseSeconds: number, force = false): Promise<CrmReadbackClaim | null> {
    const rows = await db.query<CrmReadbackClaim>(
      'crm_readback.claim',
      `UPDATE crm_readback_state SET lease_until = now() + make_interval(secs => $2), last_attempt_at = now()
        WHERE target = $1 AND lease_until < now() AND ($3 OR next_read_at <= now())
        RETURNING target, watermark`,
      [target, leaseSeconds, force],
    );
    return rows[0] ?? null;
  }

  /** Moves the watermark forward (never back) after a page of tasks was published. */
  async advance(db: Queryable, target: CrmTarget, watermark: Date, tasks: number): Promise<void> {
    await db.query(
      'crm_readback.advance',
      `UPDATE crm_readback_state SET watermark = GREATEST(COALESCE(watermark, $2), $2), tasks_read = tasks_read + $3 WHERE target = $1`,
      [target, watermark, tasks],
    );
  }

  /** Ends a read: its result, the lease released and the next read due after `intervalSeconds`. */
  async release(db: Queryable, target: CrmTarget, intervalSeconds: number, error: string | null): Promise<void> {
    await db.query(
      'crm_readback.release',
      `UPDATE crm_readback_state
          SET lease_until = '-infinity', next_read_at = now() + make_interval(secs => $2),
              last_success_at = CASE WHEN $3::text IS NULL THEN now() ELSE last_success_at END, last_error = $3
        WHERE target = $1`,
      [target, intervalSeconds, error],
    );
  }

  async list(db: Queryable): Promise<CrmReadbackRow[]> {
    return db.query<CrmReadbackRow>(
      'crm_readback.list',
      'SELECT target, watermark, last_attempt_at, last_success_at, last_error, tasks_read FROM crm_readback_state ORDER BY target',
    );
  }

  /** When the platform's first task in this CRM was sent: no task of ours can have been completed before. */
  async firstTaskSentAt(db: Queryable, target: CrmTarget): Promise<Date | null> {
    const rows = await db.query<{ first: Date | null }>(
      'crm_readback.first_task_sent_at',
      `SELECT min(sent_at) AS first FROM crm_outbox WHERE target = $1 AND kind = 'task' AND status = 'sent'`,
      [target],
    );
    return rows[0]?.first ?? null;
  }

  /** The platform's tasks among these alert ids (Salesforce names a task by its alert-id external id). */
  async tasksByAlertIds(db: Queryable, target: CrmTarget, alertIds: readonly string[]): Promise<Map<string, PlatformTask>> {
    if (alertIds.length === 0) return new Map();
    // By the outbox's unique idempotency key of a task row: task:<target>:<alert id>.
    const rows = await db.query<PlatformTask>(
      'crm_readback.tasks_by_alert_ids',
      `SELECT customer_id, payload->>'alert_id' AS alert_id, COALESCE(external_id, '') AS external_id
         FROM crm_outbox WHERE idempotency_key = ANY (SELECT 'task:' || $1::text || ':' || a FROM unnest($2::text[]) AS a)`,
      [target, alertIds],
    );
    return new Map(rows.map((r) => [r.alert_id, r]));
  }

  /** The platform's tasks among these CRM ids (HubSpot tasks carry no key of ours: the id the CRM gave is ours). */
  async tasksByExternalIds(db: Queryable, target: CrmTarget, externalIds: readonly string[]): Promise<Map<string, PlatformTask>> {
    if (externalIds.length === 0) return new Map();
    const rows = await db.query<PlatformTask>(
      'crm_readback.tasks_by_external_ids',
      `SELECT customer_id, payload->>'alert_id' AS alert_id, external_id
         FROM crm_outbox WHERE target = $1 AND kind = 'task' AND external_id = ANY($2::text[])`,
      [target, externalIds],
    );
    return new Map(rows.map((r) => [r.external_id, r]));
  }

  /** The tasks the platform created for a customer in this CRM (sent, so the CRM has them). */
  async customerTasks(db: Queryable, target: CrmTarget, customerId: string): Promise<PlatformTask[]> {
    return db.query<PlatformTask>(
      'crm_readback.customer_tasks',
      `SELECT customer_id, payload->>'alert_id' AS alert_id, external_id
         FROM crm_outbox WHERE target = $1 AND customer_id = $2 AND kind = 'task' AND status = 'sent' AND external_id IS NOT NULL
        ORDER BY id`,
      [target, customerId],
    );
  }
}
