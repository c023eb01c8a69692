import type { Alert, Outcome, Prediction } from '@churn/contracts';
import { CrmOutboxRepository, type CrmTarget, type NewCrmOutboxRow, type QueuedScore } from '@churn/crm-sync-data';
import { type Database } from '@churn/db';
import type { Logger } from '@churn/observability';
import type { CrmMetrics } from './crm-metrics';
import {
  scorePayloadOf,
  TASK_LEVELS,
  taskPayloadOf,
  type ChurnedTasksMode,
  type ChurnPayload,
  type SourceCoordinates,
  type TaskDueHours,
} from './crm-payloads';
import { decideScorePush, type ScoreBaseline } from './score-change';

export interface IntakeMessage<T> {
  readonly value: T;
  readonly source: SourceCoordinates;
}

export interface IntakeSettings {
  readonly targets: readonly CrmTarget[];
  readonly scoreChangeThreshold: number;
  readonly taskDueHours: TaskDueHours;
  /** What a churned customer's open retention tasks get (CRM_CHURNED_TASKS); `leave` when unset. */
  readonly churnedTasks?: ChurnedTasksMode;
}

/**
 * Turns predictions and alerts into outbox rows, in the transaction that records them as seen:
 * a redelivered message queues nothing, a crash before commit queues nothing and is redelivered.
 * Control-arm customers get no CRM action (monitoring needs untreated controls).
 */
export class CrmIntakeService {
  private readonly repo = new CrmOutboxRepository();

  constructor(
    private readonly db: Database,
    private readonly settings: IntakeSettings,
    private readonly metrics: CrmMetrics,
    private readonly logger: Logger,
  ) {}

  /** Returns the number of outbox rows queued. */
  async recordPredictions(messages: readonly IntakeMessage<Prediction>[]): Promise<number> {
    return this.db.transaction(async (tx) => {
      const fresh = await this.fresh(tx, messages, (p) => `prediction:${p.prediction_id}`);
      await this.repo.recordLatestScores(
        tx,
        fresh.map((m) => m.value),
      );
      const treated = fresh.filter((m) => {
        if (m.value.experiment?.arm !== 'control') return true;
        this.metrics.skipped.inc({ reason: 'control_arm' });
        return false;
      });
      if (treated.length === 0) return 0;
      if (this.settings.targets.length === 0) {
        this.metrics.skipped.inc({ reason: 'no_crm' }, treated.length);
        return 0;
      }
      const customers = [...new Set(treated.map((m) => m.value.customer_id))];
      const rows: NewCrmOutboxRow[] = [];
      const queued: QueuedScore[] = [];
      for (const target of this.settings.targets) {
        const states = await this.repo.scoreStates(tx, target, customers);
        const baselines = new Map<string, ScoreBaseline>();
        for (const [customer, s] of states) baselines.set(customer, { score: s.queued_score, level: s.queued_level, asOf: s.queued_as_of.getTime() });
        const changed = new Map<string, QueuedScore>();
        for (const { value: p, source } of treated) {
          const next = { score: p.risk_score, level: p.risk_level, asOf: Date.parse(p.as_of) };
          const decision = decideScorePush(baselines.get(p.customer_id), next, this.settings.scoreChangeThreshold);
          if (decision !== 'push') {
            this.metrics.skipped.inc({ reason: decision });
            continue;
          }
          baselines.set(p.customer_id, next);
          changed.set(p.customer_id, {
            target,
            customerId: p.customer_id,
            score: p.risk_score,
            level: p.risk_level,
            predictionId: p.prediction_id,
            asOf: p.as_of,
          });
          rows.push({
            idempotencyKey: `score:${target}:${p.prediction_id}`,
            target,
            kind: 'score',
            customerId: p.customer_id,
            payload: { ...scorePayloadOf(p, source) },
          });
          this.metrics.queued.inc({ target, kind: 'score' });
        }
        queued.push(...changed.values());
      }
      await this.repo.enqueue(tx, rows);
      await this.repo.recordQueued(tx, queued);
      return rows.length;
    });
  }

  async recordAlerts(messages: readonly IntakeMessage<Alert>[]): Promise<number> {
    return this.db.transaction(async (tx) => {
      const fresh = await this.fresh(tx, messages, (a) => `alert:${a.alert_id}`);
      const actionable = fresh.filter((m) => {
        if (TASK_LEVELS.has(m.value.level)) return true;
        this.metrics.skipped.inc({ reason: 'level' });
        return false;
      });
      if (actionable.length === 0) return 0;
      const rows: NewCrmOutboxRow[] = [];
      for (const { value: alert, source } of actionable) {
        // The alert carries its prediction's arm, action and factors (an older message none: no arm).
        if (alert.experiment_arm === 'control') {
          this.metrics.skipped.inc({ reason: 'control_arm' });
          continue;
        }
        if (this.settings.targets.length === 0) {
          this.metrics.skipped.inc({ reason: 'no_crm' });
          continue;
        }
        const payload = taskPayloadOf(
          alert,
          { recommendedAction: alert.recommended_action, topFactors: alert.top_factors },
          this.settings.taskDueHours,
          source,
        );
        for (const target of this.settings.targets) {
          rows.push({ idempotencyKey: `task:${target}:${alert.alert_id}`, target, kind: 'task', customerId: alert.customer_id, payload: { ...payload } });
          this.metrics.queued.inc({ target, kind: 'task' });
        }
      }
      await this.repo.enqueue(tx, rows);
      return rows.length;
    });
  }

  /**
   * A churned customer's open retention tasks get the churn written to them (a note, or a note and
   * closed) through the outbox, once per CRM and observed churn: the key is the customer and the
   * outcome's `observed_at`, so a redelivered or re-derived outcome of the same churn queues nothing.
   * Outcomes that say the customer stayed change nothing in the CRM.
   */
  async recordOutcomes(messages: readonly IntakeMessage<Outcome>[]): Promise<number> {
    const mode = this.settings.churnedTasks ?? 'leave';
    const churned = messages.filter((m) => m.value.churned);
    if (churned.length < messages.length) this.metrics.skipped.inc({ reason: 'not_churned' }, messages.length - churned.length);
    if (churned.length === 0) return 0;
    if (mode === 'leave' || this.settings.targets.length === 0) {
      this.metrics.skipped.inc({ reason: mode === 'leave' ? 'churn_leave' : 'no_crm' }, churned.length);
      return 0;
    }
    const keyOf = (o: Outcome) => `outcome:${o.customer_id}:${new Date(o.observed_at).toISOString()}`;
    return this.db.transaction(async (tx) => {
      const fresh = await this.fresh(tx, churned, keyOf);
      const rows: NewCrmOutboxRow[] = [];
      for (const { value: outcome, source } of fresh) {
        const churnedAt = new Date(outcome.observed_at).toISOString();
        const payload: ChurnPayload = { customer_id: outcome.customer_id, churned_at: churnedAt, mode, source };
        for (const target of this.settings.targets) {
          rows.push({
            idempotencyKey: `churn:${target}:${outcome.customer_id}:${churnedAt}`,
            target,
            kind: 'churn',
            customerId: outcome.customer_id,
            payload: { ...payload },
          });
          this.metrics.queued.inc({ target, kind: 'churn' });
        }
      }
      await this.repo.enqueue(tx, rows);
      return rows.length;
    });
  }

  private async fresh<T>(
    tx: Parameters<CrmOutboxRepository['markSeen']>[0],
    messages: readonly IntakeMessage<T>[],
    keyOf: (value: T) => string,
  ): Promise<IntakeMessage<T>[]> {
    const newKeys = await this.repo.markSeen(tx, [...new Set(messages.map((m) => keyOf(m.value)))]);
    const result: IntakeMessage<T>[] = [];
    for (const message of messages) {
      const key = keyOf(message.value);
      if (newKeys.delete(key)) result.push(message);
      else this.metrics.skipped.inc({ reason: 'duplicate' });
    }
    if (result.length < messages.length) this.logger.debug({ duplicates: messages.length - result.length }, 'redelivered messages ignored');
    return result;
  }
}
