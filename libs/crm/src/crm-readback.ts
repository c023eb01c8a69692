import { Topics, type CrmActivity } from '@churn/contracts';
import { CrmIntegrationRepository, CrmReadbackRepository } from '@churn/crm-sync-data';
import { TopicOutboxRepository, type Database } from '@churn/db';
import type { TopicProducer } from '@churn/kafka';
import type { Logger } from '@churn/observability';
import { activityOfCompletedTask } from './crm-activity';
import { CrmCallError } from './crm-errors';
import type { CrmGateway } from './crm-gateway';
import type { CrmMetrics } from './crm-metrics';
import type { CrmIntegrationControl } from './integration-control';
import { classifyTasks, interventionOfTask, newestModified } from './task-interventions';

/**
 * Each read starts this long before the watermark: a task whose modification committed late (its
 * LastModifiedDate older than one already read) or, on the first read, completed just around the
 * first task's creation on a clock a little off ours, is still read. Tasks read again record nothing new.
 */
export const READBACK_OVERLAP_MS = 5 * 60_000;

/** A read's calls are each cut at their deadline; a lease of ten of them covers a read of many pages. */
export function readbackLeaseSeconds(callTimeoutMs: number): number {
  return Math.max(60, Math.ceil((callTimeoutMs * 10) / 1000));
}

export interface ReadbackSettings {
  /** Seconds between two reads of a CRM (across instances). */
  readonly intervalSeconds: number;
  /** How long one instance may hold a CRM's read-back. */
  readonly leaseSeconds: number;
}

export interface ReadbackSummary {
  readonly crm: CrmGateway['target'];
  /** Completed tasks read; of which recorded as interventions (published). */
  readonly read: number;
  readonly recorded: number;
  /** Not read: another instance holds it, it is not due, or the integration is paused or held. */
  readonly skipped?: 'not_due' | 'paused' | 'held';
  readonly error?: string;
}

/**
 * Reads back one CRM's completed retention tasks and publishes each as an intervention on
 * `interventions`, which monitoring stores once per task. At least once, in effect once: a page is
 * published (acks from all in-sync replicas) before the watermark moves past it, so a crash between
 * the two reads the page again and monitoring keeps the first copy (the id comes from the task id).
 *
 * Rate-limit aware like the drain loop: nothing is read while the CRM is held after a rate limit or
 * paused; a rate limit met here holds the CRM for every instance, a refusal no retry fixes pauses it.
 * Calls go through the gateway, so HubSpot's pacing (bottleneck) and the call deadlines apply.
 */
/** Thrown between two pages when the service stops: the read ends at the last page recorded. */
class ReadbackStopped extends Error {}

export class CrmReadback {
  private readonly state = new CrmReadbackRepository();
  private readonly integrations = new CrmIntegrationRepository();
  private readonly activity = new TopicOutboxRepository('crm_activity');
  private stopping = false;

  constructor(
    private readonly db: Database,
    private readonly gateway: CrmGateway,
    private readonly control: CrmIntegrationControl,
    private readonly producer: TopicProducer,
    private readonly metrics: CrmMetrics,
    private readonly logger: Logger,
    private readonly settings: ReadbackSettings,
  ) {}

  get target() {
    return this.gateway.target;
  }

  /** A read in progress ends after the page it is on (its watermark recorded); none starts after this. */
  stop(): void {
    this.stopping = true;
  }

  /** One read when due (`force`: now, whatever the interval; still one instance at a time). */
  async readOnce(force = false): Promise<ReadbackSummary> {
    const crm = this.gateway.target;
    if (this.stopping) return { crm, read: 0, recorded: 0, skipped: 'not_due' };
    const integration = (await this.integrations.list(this.db)).find((r) => r.target === crm);
    if (integration?.status === 'paused') return { crm, read: 0, recorded: 0, skipped: 'paused' };
    if (integration?.held) return { crm, read: 0, recorded: 0, skipped: 'held' };
    const claim = await this.state.claim(this.db, crm, this.settings.leaseSeconds, force);
    if (!claim) return { crm, read: 0, recorded: 0, skipped: 'not_due' };
    const started = Date.now();
    let read = 0;
    let recorded = 0;
    try {
      const from = claim.watermark ?? (await this.state.firstTaskSentAt(this.db, crm));
      const since = from && new Date(from.getTime() - READBACK_OVERLAP_MS);
      if (since) {
        await this.gateway.readCompletedTasks(since, async (tasks) => {
          const { published, completed } = await this.publish(tasks);
          read += tasks.length;
          recorded += published;
          const newest = newestModified(tasks);
          // The page's completions go to the `crm-activity` outbox in the transaction that moves the
          // watermark past them: a page read again (a crash before this commit) is recorded once.
          await this.db.transaction(async (tx) => {
            await this.activity.enqueue(
              tx,
              completed.map((a) => ({ messageId: a.activity_id, customerId: a.customer_id, payload: a })),
            );
            if (newest) await this.state.advance(tx, crm, newest, tasks.length);
          });
          if (this.stopping) throw new ReadbackStopped('the service is stopping');
        });
      }
      await this.state.release(this.db, crm, this.settings.intervalSeconds, null);
      this.metrics.readbackLastSuccess.set({ crm }, Date.now() / 1000);
      const done = { read, recorded, since: since?.toISOString() ?? null, ms: Date.now() - started };
      if (read > 0) this.logger.info(done, 'CRM read-back done');
      else this.logger.debug(done, 'CRM read-back done: nothing completed');
      return { crm, read, recorded };
    } catch (error) {
      if (error instanceof ReadbackStopped) {
        // Not a failure: the next read, on any instance, goes on from the watermark.
        await this.state.release(this.db, crm, 0, 'stopped with the service').catch(() => undefined);
        this.logger.info({ read, recorded }, 'CRM read-back stopped with the service after a recorded page');
        return { crm, read, recorded, skipped: 'not_due' };
      }
      const message = error instanceof Error ? error.message : String(error);
      await this.state.release(this.db, crm, this.settings.intervalSeconds, message.slice(0, 1000)).catch(() => undefined);
      this.metrics.readbackFailures.inc({ crm, kind: error instanceof CrmCallError ? error.kind : 'other' });
      if (error instanceof CrmCallError && error.kind === 'rate_limited')
        await this.control.holdAfterRateLimit(error.code, error.retryAfterMs ?? 0, error.message);
      else if (error instanceof CrmCallError && error.kind === 'misconfigured') await this.control.pause(error.code, error.message);
      this.logger.warn(
        { read, recorded, code: error instanceof CrmCallError ? error.code : undefined, err: message },
        'CRM read-back failed: the next read starts from the last page recorded',
      );
      return { crm, read, recorded, error: message };
    }
  }

  /**
   * One page: the platform's tasks completed by a person, published as interventions (how many), and
   * the activity of every task of the platform's that the page shows done (closed on churn too).
   */
  private async publish(tasks: Parameters<typeof classifyTasks>[0]): Promise<{ published: number; completed: CrmActivity[] }> {
    const crm = this.gateway.target;
    const byAlertId = await this.state.tasksByAlertIds(
      this.db,
      crm,
      tasks.flatMap((t) => (t.alertId ? [t.alertId] : [])),
    );
    const byExternalId = await this.state.tasksByExternalIds(
      this.db,
      crm,
      tasks.map((t) => t.taskId),
    );
    const classified = classifyTasks(tasks, byAlertId, byExternalId);
    const messages = classified.flatMap((c) =>
      c.result === 'recorded' && c.ours ? [{ key: c.ours.customer_id, value: interventionOfTask(crm, c.task, c.ours) }] : [],
    );
    if (messages.length > 0) await this.producer.send(Topics.interventions, messages);
    for (const c of classified) this.metrics.readbackTasks.inc({ crm, result: c.result });
    const completed = classified.flatMap((c) => (c.ours ? [activityOfCompletedTask(crm, c.task, c.ours)] : []));
    return { published: messages.length, completed };
  }
}
