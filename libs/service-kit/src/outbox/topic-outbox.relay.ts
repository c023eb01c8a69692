import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { TopicName, TopicSchemas, TopicValue } from '@churn/contracts';
import { TopicOutboxRepository, type Database, type TopicOutboxName } from '@churn/db';
import type { TopicProducer } from '@churn/kafka';
import { getOrCreateCounter, getOrCreateGauge, getOrCreateHistogram, LATENCY_BUCKETS_SECONDS, type Logger, type Registry } from '@churn/observability';

const MAX_BACKOFF_MS = 30_000;

export interface RelayMetricNames {
  readonly published: string;
  readonly failures: string;
  readonly waiting: string;
  readonly oldestWaiting: string;
  readonly passSeconds: string;
}

export interface TopicOutboxRelaySettings<T extends keyof TopicSchemas & TopicName> {
  readonly topic: T;
  readonly outbox: TopicOutboxName;
  /**
   * The relay's metric names, spelled out by each relay (not built from a prefix): the dashboards'
   * and alert rules' check finds every metric they select as a quoted name in the code.
   */
  readonly metrics: RelayMetricNames;
  /** What one message is, for help texts and logs ("alert changes"). */
  readonly what: string;
  readonly intervalMs: number;
  readonly batch: number;
  readonly keepHours: number;
  /** When set, the backlog gauges are refreshed (and rows published past keepHours deleted) this often while the relay runs. */
  readonly backlogRefreshMs?: number;
}

/**
 * Publishes one topic's transactional outbox. A pass runs in one transaction: take the relay lock (one
 * relay at a time across instances, so the topic keeps the outbox's order), read the oldest unpublished
 * rows, publish them, mark them published, commit. A crash or a failed send after the broker took the
 * records leaves them unmarked, and the next pass publishes them again with the same message id: at
 * least once, and consumers dedupe on that id. The producer checks every message against the topic's
 * schema before it is sent. As a Nest provider (a subclass that passes its settings) it starts with the
 * application and stops with it.
 */
export class TopicOutboxRelay<T extends keyof TopicSchemas & TopicName> implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly outbox: TopicOutboxRepository;
  private readonly metrics;
  private timer: NodeJS.Timeout | undefined;
  private backlogTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private failures = 0;

  constructor(
    private readonly database: Database,
    private readonly producer: TopicProducer,
    private readonly settings: TopicOutboxRelaySettings<T>,
    private readonly logger: Logger,
    registry: Registry,
  ) {
    this.outbox = new TopicOutboxRepository(settings.outbox);
    const { metrics: names, what, topic } = settings;
    this.metrics = {
      published: getOrCreateCounter(registry, {
        name: names.published,
        help: `${what} published on ${topic} (a re-publication after a crash counts again).`,
        labelNames: [] as const,
      }),
      failures: getOrCreateCounter(registry, {
        name: names.failures,
        help: `Relay passes over the ${topic} outbox that failed (broker or Postgres); the rows stay and are published by a later pass.`,
        labelNames: [] as const,
      }),
      waiting: getOrCreateGauge(registry, { name: names.waiting, help: `${what} in the outbox not yet published on ${topic}.`, labelNames: [] as const }),
      lag: getOrCreateGauge(registry, {
        name: names.oldestWaiting,
        help: `Age of the oldest of the ${what} not yet published on ${topic} (0: none waits).`,
        labelNames: [] as const,
      }),
      pass: getOrCreateHistogram(registry, {
        name: names.passSeconds,
        help: `Duration of one relay pass over the ${topic} outbox (lock, read, publish, mark).`,
        labelNames: [] as const,
        buckets: LATENCY_BUCKETS_SECONDS,
      }),
    };
  }

  onApplicationBootstrap(): void {
    this.start();
    const every = this.settings.backlogRefreshMs;
    if (every === undefined) return;
    const refresh = () =>
      this.refreshBacklog().catch((error: unknown) => this.logger.warn({ topic: this.settings.topic, err: error }, 'outbox backlog gauges not refreshed'));
    void refresh();
    this.backlogTimer = setInterval(refresh, every);
    this.backlogTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.backlogTimer) clearInterval(this.backlogTimer);
    await this.stop();
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
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

  /** One pass; resolves with how many messages it published (0 when another instance's relay holds the lock). */
  async runOnce(): Promise<number> {
    const end = this.metrics.pass.startTimer();
    try {
      const published = await this.database.transaction(async (tx) => {
        if (!(await this.outbox.tryLockRelay(tx))) return 0;
        const rows = await this.outbox.unpublished(tx, this.settings.batch);
        if (rows.length === 0) return 0;
        await this.producer.send(
          this.settings.topic,
          rows.map((row) => ({ key: row.customer_id, value: row.payload as TopicValue<T> })),
        );
        await this.outbox.markPublished(
          tx,
          rows.map((row) => row.id),
        );
        return rows.length;
      });
      this.metrics.published.inc(published);
      return published;
    } finally {
      end();
    }
  }

  /** Refreshes the backlog gauges and deletes rows published longer ago than `keepHours`. */
  async refreshBacklog(): Promise<void> {
    const backlog = await this.outbox.backlog(this.database);
    this.metrics.waiting.set(backlog.waiting);
    this.metrics.lag.set(backlog.oldestAgeSeconds);
    await this.outbox.prunePublished(this.database, this.settings.keepHours * 3600);
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
        if (published > 0) this.logger.debug({ topic: this.settings.topic, published }, 'outbox messages published');
      } while (!this.stopped && (this.again || published === this.settings.batch));
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      this.metrics.failures.inc();
      this.logger.warn({ topic: this.settings.topic, err: error, failures: this.failures }, 'outbox relay pass failed; the messages stay in the outbox');
    }
  }

  private nextDelay(): number {
    if (this.failures === 0) return this.again ? 0 : this.settings.intervalMs;
    return Math.min(MAX_BACKOFF_MS, this.settings.intervalMs * 2 ** Math.min(this.failures, 10));
  }
}
