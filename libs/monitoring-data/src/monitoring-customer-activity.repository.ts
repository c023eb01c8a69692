import type { AlertNotification, CrmActivity } from '@churn/contracts';
import type { Queryable } from '@churn/db';

export interface CustomerNotificationRow {
  notification_id: string;
  alert_id: string;
  channel: string;
  form: string;
  outcome: string;
  attempt: number;
  failure: string | null;
  parked: boolean;
  occurred_at: Date;
}

export interface CustomerCrmActivityRow {
  activity_id: string;
  crm: string;
  kind: string;
  external_id: string | null;
  write: string | null;
  risk_score: number | null;
  alert_id: string | null;
  completed_by: string | null;
  occurred_at: Date;
}

interface TaskChange {
  crm: string;
  external_id: string;
  customer_id: string;
  created_at: string | null;
  completed_at: string | null;
}

/**
 * What alerting and crm-sync did for a customer, from `alert-notifications` and `crm-activity`: each
 * message stored once (by its id), the platform's CRM tasks (open while created and not completed),
 * and the customer's `crm_task_open` flag on monitoring_customers kept from them.
 */
export class MonitoringCustomerActivityRepository {
  /** Stores delivery attempts once per notification_id; returns how many were new. */
  async applyNotifications(tx: Queryable, facts: readonly AlertNotification[]): Promise<number> {
    if (facts.length === 0) return 0;
    const fresh = await tx.query<{ notification_id: string }>(
      'monitoring_customer_notifications.insert',
      `INSERT INTO monitoring_customer_notifications (notification_id, alert_id, customer_id, channel, form, outcome, attempt, failure, parked, occurred_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::boolean[], $10::timestamptz[])
       ON CONFLICT (notification_id) DO NOTHING
       RETURNING notification_id`,
      [
        facts.map((f) => f.notification_id),
        facts.map((f) => f.alert_id),
        facts.map((f) => f.customer_id),
        facts.map((f) => f.channel),
        facts.map((f) => f.form),
        facts.map((f) => f.outcome),
        facts.map((f) => f.attempt),
        facts.map((f) => f.failure),
        facts.map((f) => f.parked),
        facts.map((f) => f.occurred_at),
      ],
    );
    return fresh.length;
  }

  /**
   * Stores CRM activities once per activity_id, records the tasks' creation and completion (the first
   * time of each counts; either may come first), and sets `crm_task_open` of every customer the batch
   * names. Returns how many activities were new.
   */
  async applyCrmActivity(tx: Queryable, activities: readonly CrmActivity[]): Promise<number> {
    if (activities.length === 0) return 0;
    const fresh = await tx.query<{ activity_id: string }>(
      'monitoring_customer_crm_activity.insert',
      `INSERT INTO monitoring_customer_crm_activity (activity_id, customer_id, crm, kind, external_id, write, risk_score, alert_id, completed_by, occurred_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::smallint[], $8::text[], $9::text[], $10::timestamptz[])
       ON CONFLICT (activity_id) DO NOTHING
       RETURNING activity_id`,
      [
        activities.map((a) => a.activity_id),
        activities.map((a) => a.customer_id),
        activities.map((a) => a.crm),
        activities.map((a) => a.kind),
        activities.map((a) => a.external_id),
        activities.map((a) => a.write),
        activities.map((a) => a.risk_score),
        activities.map((a) => a.alert_id),
        activities.map((a) => a.completed_by),
        activities.map((a) => a.occurred_at),
      ],
    );
    const tasks = taskChangesOf(activities);
    if (tasks.length > 0) {
      await tx.query(
        'monitoring_crm_tasks.apply',
        `INSERT INTO monitoring_crm_tasks AS t (crm, external_id, customer_id, created_at, completed_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[])
         ON CONFLICT (crm, external_id) DO UPDATE SET
           created_at = COALESCE(t.created_at, EXCLUDED.created_at), completed_at = COALESCE(t.completed_at, EXCLUDED.completed_at)`,
        [
          tasks.map((t) => t.crm),
          tasks.map((t) => t.external_id),
          tasks.map((t) => t.customer_id),
          tasks.map((t) => t.created_at),
          tasks.map((t) => t.completed_at),
        ],
      );
      await tx.query(
        'monitoring_customers.apply_crm_task_open',
        `INSERT INTO monitoring_customers AS c (customer_id, crm_task_open)
         SELECT u.customer_id, EXISTS (
                  SELECT 1 FROM monitoring_crm_tasks t WHERE t.customer_id = u.customer_id AND t.created_at IS NOT NULL AND t.completed_at IS NULL)
           FROM unnest($1::text[]) AS u(customer_id)
         ON CONFLICT (customer_id) DO UPDATE SET crm_task_open = EXCLUDED.crm_task_open, updated_at = now()
         WHERE c.crm_task_open IS DISTINCT FROM EXCLUDED.crm_task_open`,
        [[...new Set(tasks.map((t) => t.customer_id))]],
      );
    }
    return fresh.length;
  }

  async notifications(db: Queryable, customerId: string, limit: number): Promise<CustomerNotificationRow[]> {
    return db.query<CustomerNotificationRow>(
      'monitoring_customer_notifications.for_customer',
      `SELECT notification_id, alert_id, channel, form, outcome, attempt, failure, parked, occurred_at
         FROM monitoring_customer_notifications WHERE customer_id = $1 ORDER BY occurred_at DESC, notification_id DESC LIMIT $2`,
      [customerId, limit],
    );
  }

  async crmActivity(db: Queryable, customerId: string, limit: number): Promise<CustomerCrmActivityRow[]> {
    return db.query<CustomerCrmActivityRow>(
      'monitoring_customer_crm_activity.for_customer',
      `SELECT activity_id, crm, kind, external_id, write, risk_score, alert_id, completed_by, occurred_at
         FROM monitoring_customer_crm_activity WHERE customer_id = $1 ORDER BY occurred_at DESC, activity_id DESC LIMIT $2`,
      [customerId, limit],
    );
  }
}

/** One change per task (a statement may touch a row once): a batch's creation and completion of a task merged, the earliest of each. */
export function taskChangesOf(activities: readonly CrmActivity[]): TaskChange[] {
  const byTask = new Map<string, TaskChange>();
  const earliest = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : Date.parse(a) <= Date.parse(b) ? a : b);
  for (const a of activities) {
    if (a.kind === 'record_written' || a.external_id === null) continue;
    const key = a.crm + '\u0000' + a.external_id;
    const held = byTask.get(key) ?? { crm: a.crm, external_id: a.external_id, customer_id: a.customer_id, created_at: null, completed_at: null };
    if (a.kind === 'task_created') held.created_at = earliest(held.created_at, a.occurred_at);
    else held.completed_at = earliest(held.completed_at, a.occurred_at);
    byTask.set(key, held);
  }
  return [...byTask.values()];
}
