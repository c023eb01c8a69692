import { Topics } from '@churn/contracts';
import { CrmIntegrationRepository, CrmOutboxRepository, CrmReadbackRepository, type CrmOutboxRow, type CrmPushKind } from '@churn/crm-sync-data';
import { TopicOutboxRepository, type Database } from '@churn/db';
import type { TopicProducer } from '@churn/kafka';
import type { Logger } from '@churn/observability';
import { activityOfSentRow } from './crm-activity';
import type { CrmBreaker } from './crm-breaker';
import { backoffMs, CrmCallError, type RecordResult } from './crm-errors';
import type { CrmGateway } from './crm-gateway';
import type { CrmMetrics } from './crm-metrics';
import { CrmIntegrationControl } from './integration-control';
import type { ChurnPayload, ScorePayload, SourceCoordinates, TaskPayload } from './crm-payloads';

export interface DrainSettings {
  readonly intervalMs: number;
  readonly leaseSeconds: number;
  readonly retryBudget: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly dryRun: boolean;
  /** While the integration is paused, how often one instance probes it. */
  readonly probeIntervalMs: number;
}

interface Outcome {
  readonly row: CrmOutboxRow;
  readonly result: RecordResult;
}

/**
 * Drains one CRM's outbox: claims due rows (tasks first, then scores), pushes them in batches
 * through the circuit breaker, and records per row: sent (with the CRM's id), rescheduled with
 * back-off, parked and dead-lettered once its retry budget is spent, or skipped when the CRM has
 * no such customer. Several instances can drain the same outbox; the claim's lease keeps them off
 * each other's rows. A rate limit holds, and an error no retry fixes pauses, the whole CRM for
 * every instance (`CrmIntegrationControl`): nothing is claimed meanwhile.
 */
export class OutboxDrainer {
  private readonly outbox = new CrmOutboxRepository();
  private readonly integrations = new CrmIntegrationRepository();
  private readonly platformTasks = new CrmReadbackRepository();
  private readonly activity = new TopicOutboxRepository('crm_activity');
  readonly control: CrmIntegrationControl;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly db: Database,
    readonly gateway: CrmGateway,
    private readonly breaker: CrmBreaker,
    private readonly producer: TopicProducer | undefined,
    private readonly metrics: CrmMetrics,
    private readonly logger: Logger,
    private readonly settings: DrainSettings,
    private readonly consumerGroup = 'crm-sync',
  ) {
    this.control = new CrmIntegrationControl(db, gateway, metrics, logger, settings.probeIntervalMs);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (
      this.settings.dryRun
        ? Promise.resolve()
        : this.control.checkAtStart().catch((error: unknown) => this.logger.error({ target: this.gateway.target, err: error }, 'CRM field check failed'))
    ).then(() => this.run());
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.breaker.shutdown();
  }

  /** Lets an idle loop look again now (new rows were queued). */
  nudge(): void {
    this.wake?.();
  }

  /**
   * One pass: every due row of every kind, batch by batch, until none is due. Returns the rows handled.
   * Churn rows after tasks, so that a customer's tasks queued before its churn are in the CRM when the
   * churn is written to them.
   */
  async drainAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const handled = (await this.drainOnce('task')) + (await this.drainOnce('churn')) + (await this.drainOnce('score'));
      total += handled;
      if (handled === 0 || !this.running) return total;
    }
  }

  async drainOnce(kind: CrmPushKind): Promise<number> {
    if (this.breaker.isOpen) return 0;
    const rows = await this.outbox.claimDue(this.db, this.gateway.target, kind, this.gateway.maxBatch[kind], this.settings.leaseSeconds);
    if (rows.length === 0) return 0;
    const target = this.gateway.target;
    if (this.settings.dryRun) {
      for (const row of rows)
        this.logger.info({ target, kind, customerId: row.customer_id, idempotencyKey: row.idempotency_key, payload: row.payload }, 'dry run: would push');
      await this.outbox.markSkipped(
        this.db,
        rows.map((r) => r.id),
        'dry run',
      );
      this.metrics.pushes.inc({ target, kind, result: 'dry_run' }, rows.length);
      return rows.length;
    }
    const end = this.metrics.callDuration.startTimer({ target, kind });
    let results: RecordResult[];
    try {
      results = await this.breaker.fire(async () => {
        await this.gateway.prepare();
        if (kind === 'score') return this.gateway.pushScores(rows.map((r) => r.payload as unknown as ScorePayload));
        if (kind === 'task') return this.gateway.createTasks(rows.map((r) => r.payload as unknown as TaskPayload));
        return this.gateway.writeChurn(await this.churnWrites(rows));
      });
    } catch (error) {
      const failure = error instanceof CrmCallError ? error : new CrmCallError('outage', 'UNEXPECTED', error instanceof Error ? error.message : String(error));
      // `record` holds the CRM after a rate limit and pauses it after a misconfiguration.
      this.logger.warn({ target, kind, rows: rows.length, code: failure.code, failureKind: failure.kind, err: failure.message }, 'CRM call failed');
      results = rows.map(() => ({ ok: false, kind: failure.kind, code: failure.code, message: failure.message, retryAfterMs: failure.retryAfterMs }));
    } finally {
      end();
      this.reportQuota();
    }
    await this.record(
      kind,
      rows.map((row, i) => ({ row, result: results[i]! })),
    );
    return rows.length;
  }

  /** Each churn row with the platform's tasks of its customer that this CRM has. */
  private async churnWrites(rows: readonly CrmOutboxRow[]) {
    return Promise.all(
      rows.map(async (row) => {
        const tasks = await this.platformTasks.customerTasks(this.db, this.gateway.target, row.customer_id);
        return { payload: row.payload as unknown as ChurnPayload, tasks: tasks.map((t) => ({ alertId: t.alert_id, externalId: t.external_id })) };
      }),
    );
  }

  private async record(kind: CrmPushKind, outcomes: readonly Outcome[]): Promise<void> {
    const target = this.gateway.target;
    const sent: { id: string; externalId: string | null }[] = [];
    const missing: CrmOutboxRow[] = [];
    const reschedule: { id: string; error: string; delayMs: number; countAttempt: boolean }[] = [];
    const park: { row: CrmOutboxRow; error: string; code: string }[] = [];
    let rateLimit: { code: string; delayMs: number; message: string } | undefined;
    let misconfigured: { code: string; message: string } | undefined;
    for (const { row, result } of outcomes) {
      if (result.ok) {
        sent.push({ id: row.id, externalId: result.externalId });
        if (result.created) {
          this.metrics.missingCustomers.inc({ crm: target, action: 'created' });
          this.logger.info({ target, kind, customerId: row.customer_id, externalId: result.externalId }, 'customer missing in the CRM: record created');
        }
        continue;
      }
      if (result.missing) {
        missing.push(row);
        continue;
      }
      const error = `${result.code}: ${result.message}`;
      if (result.kind === 'permanent' || (result.kind === 'retryable' && row.attempts + 1 >= this.settings.retryBudget)) {
        park.push({ row, error, code: result.code });
      } else if (result.kind === 'retryable') {
        reschedule.push({ id: row.id, error, delayMs: backoffMs(row.attempts + 1, this.settings.retryBaseMs, this.settings.retryMaxMs), countAttempt: true });
      } else if (result.kind === 'rate_limited') {
        const delayMs = result.retryAfterMs ?? this.settings.retryBaseMs;
        if (!rateLimit || delayMs > rateLimit.delayMs) rateLimit = { code: result.code, delayMs, message: result.message };
        reschedule.push({ id: row.id, error, delayMs, countAttempt: false });
      } else if (result.kind === 'misconfigured') {
        // Claimable again once the integration is resumed; the pause keeps every instance off it until then.
        misconfigured ??= { code: result.code, message: result.message };
        reschedule.push({ id: row.id, error, delayMs: 0, countAttempt: false });
      } else {
        // Outage: the breaker decides when the CRM is tried again; the row keeps its budget.
        reschedule.push({ id: row.id, error, delayMs: backoffMs(1, this.settings.retryBaseMs, this.settings.retryMaxMs), countAttempt: false });
      }
      const failureKind = result.kind;
      this.metrics.pushes.inc({
        target,
        kind,
        result:
          failureKind === 'permanent' || park.some((p) => p.row.id === row.id)
            ? 'parked'
            : failureKind === 'retryable'
              ? 'retry'
              : failureKind === 'misconfigured'
                ? 'paused'
                : failureKind,
      });
    }
    // First the CRM-wide state, so that no instance claims another batch into the same refusal.
    if (rateLimit) await this.control.holdAfterRateLimit(rateLimit.code, rateLimit.delayMs, rateLimit.message);
    if (misconfigured) await this.control.pause(misconfigured.code, misconfigured.message);
    if (park.length > 0) await this.deadLetter(kind, park);
    await this.db.transaction(async (tx) => {
      await this.outbox.skipMissingCustomers(
        tx,
        missing.map((r) => r.id),
        `customer not in ${target}`,
      );
      await this.outbox.markSent(tx, sent);
      // What the CRM took is reported on `crm-activity` with the mark: both commit, or neither.
      const byRowId = new Map(outcomes.map((o) => [o.row.id, o.row]));
      const now = new Date();
      const activities = sent.flatMap((s) => activityOfSentRow(byRowId.get(s.id)!, s.externalId, now) ?? []);
      await this.activity.enqueue(
        tx,
        activities.map((a) => ({ messageId: a.activity_id, customerId: a.customer_id, payload: a })),
      );
      if (kind === 'score') {
        const byId = new Map(outcomes.map((o) => [o.row.id, o.row]));
        await this.outbox.recordPushed(
          tx,
          sent.map((s) => {
            const p = byId.get(s.id)!.payload as unknown as ScorePayload;
            return { target, customerId: p.customer_id, score: p.risk_score, level: p.risk_level, predictionId: p.prediction_id, asOf: p.as_of };
          }),
        );
      }
      await this.outbox.reschedule(tx, reschedule);
      await this.outbox.park(
        tx,
        park.map((p) => ({ id: p.row.id, error: p.error })),
      );
    });
    if (sent.length > 0) this.metrics.pushes.inc({ target, kind, result: 'sent' }, sent.length);
    if (missing.length > 0) await this.reportMissing(kind, missing);
    for (const p of park)
      this.logger.error(
        { target, kind, outboxId: p.row.id, customerId: p.row.customer_id, idempotencyKey: p.row.idempotency_key, err: p.error },
        'CRM write parked',
      );
  }

  /** Counts every skipped write; logs each customer once a day (across instances: the ledger is in Postgres). */
  private async reportMissing(kind: CrmPushKind, rows: readonly CrmOutboxRow[]): Promise<void> {
    const target = this.gateway.target;
    this.metrics.pushes.inc({ target, kind, result: 'missing_customer' }, rows.length);
    this.metrics.missingCustomers.inc({ crm: target, action: 'skipped' }, rows.length);
    const firstToday = await this.integrations.firstMissingToday(
      this.db,
      target,
      rows.map((r) => r.customer_id),
    );
    for (const customerId of firstToday) {
      this.logger.warn({ target, kind, customerId }, 'customer missing in the CRM: write skipped (logged once a day per customer)');
    }
  }

  private async deadLetter(kind: CrmPushKind, parked: readonly { row: CrmOutboxRow; error: string; code: string }[]): Promise<void> {
    const target = this.gateway.target;
    if (this.producer) {
      await this.producer.sendRaw(
        Topics.crmSyncDlq,
        parked.map(({ row, error, code }) => {
          const source = (row.payload as { source?: SourceCoordinates }).source;
          const record = {
            source_topic: source?.topic ?? (kind === 'score' ? Topics.predictions : kind === 'task' ? Topics.alerts : Topics.outcomes),
            partition: source?.partition ?? 0,
            offset: source?.offset ?? '0',
            key: row.customer_id,
            value_base64: Buffer.from(JSON.stringify(row.payload), 'utf8').toString('base64'),
            headers: { 'x-crm-target': target, 'x-crm-kind': kind, 'x-outbox-id': row.id, 'x-idempotency-key': row.idempotency_key },
            reason: `${target} ${kind} push failed after ${row.attempts + 1} attempt(s): ${error}`.slice(0, 4000),
            error_code: `CRM_${code}`.slice(0, 100),
            consumer_group: this.consumerGroup,
            failed_at: new Date().toISOString(),
          };
          return {
            key: row.customer_id,
            value: JSON.stringify(record),
            headers: { ...record.headers, 'x-dlq-reason': record.reason.slice(0, 500), 'x-dlq-code': record.error_code },
          };
        }),
      );
    }
    this.metrics.deadLetters.inc({ target, kind }, parked.length);
  }

  private reportQuota(): void {
    const quota = this.gateway.quota();
    if (quota?.remaining !== undefined) this.metrics.quotaRemaining.set({ target: this.gateway.target }, quota.remaining);
    if (quota?.limit !== undefined) this.metrics.quotaLimit.set({ target: this.gateway.target }, quota.limit);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        if (!this.settings.dryRun) await this.control.probeIfDue();
        handled = await this.drainAll();
      } catch (error) {
        // Postgres or the broker unavailable: nothing was lost (rows stay pending, leases expire); try again.
        this.logger.error({ target: this.gateway.target, err: error }, 'outbox drain failed');
      }
      if (!this.running) break;
      if (handled === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.settings.intervalMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }
}
