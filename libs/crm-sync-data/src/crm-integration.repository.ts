import type { Queryable } from '@churn/db';
import type { CrmTarget } from './crm-outbox.repository';

export interface CrmIntegrationRow {
  target: CrmTarget;
  hold_until: Date;
  hold_reason: string | null;
  held: boolean;
  status: 'active' | 'paused';
  paused_reason: string | null;
  paused_detail: string | null;
  paused_at: Date | null;
  resumed_at: Date | null;
  resumed_by: string | null;
}

/**
 * crm-sync's state of each CRM, shared by all instances: a rate-limit hold (nobody claims that
 * CRM's outbox rows before `hold_until`, see `CrmOutboxRepository.claimDue`) and a pause with its
 * reason after an error no retry can fix. Resuming is an admin's or a successful probe's.
 */
export class CrmIntegrationRepository {
  /** Nobody calls `target` before `delayMs` from now (an earlier hold that ends later stays). Returns when the hold ends. */
  async hold(db: Queryable, target: CrmTarget, delayMs: number, reason: string): Promise<Date> {
    const [row] = await db.query<{ hold_until: Date }>(
      'crm_integrations.hold',
      `UPDATE crm_integrations
          SET hold_reason = CASE WHEN now() + make_interval(secs => $2::float8 / 1000) >= hold_until THEN $3 ELSE hold_reason END,
              hold_until = greatest(hold_until, now() + make_interval(secs => $2::float8 / 1000))
        WHERE target = $1 RETURNING hold_until`,
      [target, delayMs, reason.slice(0, 500)],
    );
    return row!.hold_until;
  }

  /** Pauses `target`; the first probe may run after `probeDelayMs`. Returns true when it was active until now. */
  async pause(db: Queryable, target: CrmTarget, reason: string, detail: string, probeDelayMs: number): Promise<boolean> {
    const [row] = await db.query<{ was: string }>(
      'crm_integrations.pause',
      `WITH before AS (SELECT status FROM crm_integrations WHERE target = $1 FOR UPDATE)
       UPDATE crm_integrations
          SET status = 'paused', paused_reason = $2, paused_detail = $3,
              paused_at = CASE WHEN crm_integrations.status = 'active' THEN now() ELSE paused_at END,
              next_probe_at = now() + make_interval(secs => $4::float8 / 1000)
         FROM before WHERE target = $1 RETURNING before.status AS was`,
      [target, reason, detail.slice(0, 2000), probeDelayMs],
    );
    return row?.was === 'active';
  }

  /** Resumes a paused `target`; returns false when it was not paused. */
  async resume(db: Queryable, target: CrmTarget, by: string): Promise<boolean> {
    const rows = await db.query<{ target: string }>(
      'crm_integrations.resume',
      `UPDATE crm_integrations SET status = 'active', paused_reason = NULL, paused_detail = NULL, paused_at = NULL, resumed_at = now(), resumed_by = $2
        WHERE target = $1 AND status = 'paused' RETURNING target`,
      [target, by.slice(0, 200)],
    );
    return rows.length > 0;
  }

  /** Takes the next probe of a paused `target` (one instance wins); the one after is due in `intervalMs`. */
  async claimProbe(db: Queryable, target: CrmTarget, intervalMs: number): Promise<boolean> {
    const rows = await db.query<{ target: string }>(
      'crm_integrations.claim_probe',
      `UPDATE crm_integrations SET next_probe_at = now() + make_interval(secs => $2::float8 / 1000)
        WHERE target = $1 AND status = 'paused' AND next_probe_at <= now() RETURNING target`,
      [target, intervalMs],
    );
    return rows.length > 0;
  }

  async list(db: Queryable): Promise<CrmIntegrationRow[]> {
    return db.query<CrmIntegrationRow>(
      'crm_integrations.list',
      `SELECT target, hold_until, hold_reason, hold_until > now() AS held, status, paused_reason, paused_detail, paused_at, resumed_at, resumed_by
         FROM crm_integrations ORDER BY target`,
    );
  }

  /** Of `customerIds` missing in `target`, the ones not yet logged today (and records them); older days are dropped. */
  async firstMissingToday(db: Queryable, target: CrmTarget, customerIds: readonly string[]): Promise<Set<string>> {
    if (customerIds.length === 0) return new Set();
    await db.query('crm_missing_customers_logged.prune', 'DELETE FROM crm_missing_customers_logged WHERE day < current_date - 1');
    const rows = await db.query<{ customer_id: string }>(
      'crm_missing_customers_logged.insert',
      `INSERT INTO crm_missing_customers_logged (day, target, customer_id) SELECT current_date, $1, c FROM unnest($2::text[]) AS c
       ON CONFLICT DO NOTHING RETURNING customer_id`,
      [target, [...new Set(customerIds)]],
    );
    return new Set(rows.map((r) => r.customer_id));
  }
}
