import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Topics, type AlertUpdate } from '@churn/contracts';
import { AlertingAlertUpdatesRepository, Database } from '@churn/db';
import { TopicProducer } from '@churn/kafka';
import { getOrCreateCounter, getOrCreateGauge, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '@churn/service-kit';
import type { AlertingConfig } from '../config';

const MAX_BACKOFF_MS = 30_000;

/**
 * Publishes the `alert-updates` outbox. A pass runs in one transaction: take the relay lock (one relay
 * at a time across instances, so the topic keeps the outbox's order), read the oldest unpublished
 * rows, publish them, mark them published, commit. A crash or a failed send after the broker took
 * the records leaves them unmarked, and the next pass publishes them again with the same update_id:
 * at least once, and consumers dedupe on update_id.
 */
@Injectable()
export class AlertUpdatesRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly outbox = new AlertingAlertUpdatesRepository();
  private readonly logger: Logger;
  private readonly metrics;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private failures = 0;

  constructor(
    private readonly database: Database,
    private readonly producer: TopicProducer,
    @Inject(SERVICE_CONFIG) private readonly config: AlertingConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: AlertUpdatesRelay.name });
    this.metrics = {
      published: getOrCreateCounter(registry, { name: 'alerting_alert_updates_published_total', help: 'Alert changes published on alert-updates (a re-publication after a crash counts again).', labelNames: [] as const }),
      failures: getOrCreateCounter(registry, { name: 'alerting_alert_updates_relay_failures_total', help: 'Relay passes that failed (broker or Postgres); the rows stay and are published by a later pass.', labelNames: [] as const }),
      waiting: getOrCreateGauge(registry, { name: 'alerting_alert_updates_waiting', help: 'Alert changes in the outbox not yet published on alert-updates.', labelNames: [] as const }),
      lag: getOrCreateGauge(registry, { name: 'alerting_alert_updates_oldest_waiting_seconds', help: 'Age of the oldest alert change not yet published on alert-updates (0: none waits).', labelNames: [] as const }),
    };
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Runs a pass soon: a change was just committed. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** One pass; resolves with how many updates it published (0 when another instance's relay holds the lock). */
  async runOnce(): Promise<number> {
    const published = await this.database.transaction(async (tx) => {
      if (!(await this.outbox.tryLockRelay(tx))) return 0;
      const rows = await this.outbox.unpublished(tx, this.config.ALERT_UPDATES_RELAY_BATCH);
      if (rows.length === 0) return 0;
      await this.producer.send(
        Topics.alertUpdates,
        rows.map((row) => ({ key: row.customer_id, value: row.payload as AlertUpdate })),
      );
      await this.outbox.markPublished(
        tx,
        rows.map((row) => row.id),
      );
      return rows.length;
    });
    this.metrics.published.inc(published);
    return published;
  }

  /** Refreshes the backlog gauges and deletes rows published longer ago than ALERT_UPDATES_KEEP_HOURS. */
  async refreshBacklog(): Promise<void> {
    const backlog = await this.outbox.backlog(this.database);
    this.metrics.waiting.set(backlog.waiting);
    this.metrics.lag.set(backlog.oldestAgeSeconds);
    await this.outbox.prunePublished(this.database, this.config.ALERT_UPDATES_KEEP_HOURS * 3600);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.pass().finally(() => {
        this.running = undefined;
        this.schedule(this.nextDelay());
      });
    }, delayMs);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    try {
      let published: number;
      do {
        this.again = false;
        published = await this.runOnce();
        if (published > 0) this.logger.debug({ published }, 'alert updates published');
      } while (!this.stopped && (this.again || published === this.config.ALERT_UPDATES_RELAY_BATCH));
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      this.metrics.failures.inc();
      this.logger.warn({ err: error, failures: this.failures }, 'alert-updates relay pass failed; the changes stay in the outbox');
    }
  }

  private nextDelay(): number {
    if (this.failures === 0) return this.again ? 0 : this.config.ALERT_UPDATES_RELAY_INTERVAL_MS;
    return Math.min(MAX_BACKOFF_MS, this.config.ALERT_UPDATES_RELAY_INTERVAL_MS * 2 ** Math.min(this.failures, 10));
  }
}
