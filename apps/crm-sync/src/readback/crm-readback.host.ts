import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CrmReadback, readbackLeaseSeconds, type CrmMetrics, type ReadbackSummary } from '@churn/crm';
import { Database } from '@churn/db';
import { TopicProducer } from '@churn/kafka';
import type { Logger } from '@churn/observability';
import { LOGGER, SERVICE_CONFIG } from '@churn/service-kit';
import type { CrmSyncConfig } from '../config';
import { CrmDrainHost } from '../drain/crm-drain.host';
import { CRM_METRICS } from '../drain/crm-metrics.provider';

/** An instance looks at least this often whether a read is due: every instance may take its turn, one at a time (Postgres lease). */
const MAX_WAKE_MS = 60_000;

/**
 * The read-back of completed retention tasks, per enabled CRM: `readBackAll()` for the scheduler and
 * the periodic loop (CRM_READBACK_INTERVAL_SECONDS; 0 turns it off). Reads share the drain loop's
 * gateways, so their calls are paced and held with the writes, and its integration state.
 */
@Injectable()
export class CrmReadbackHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly readbacks: CrmReadback[];
  private readonly intervalSeconds: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    @Inject(SERVICE_CONFIG) config: CrmSyncConfig,
    @Inject(Database) db: Database,
    @Inject(TopicProducer) producer: TopicProducer,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CRM_METRICS) private readonly metrics: CrmMetrics,
    @Inject(CrmDrainHost) drain: CrmDrainHost,
  ) {
    this.intervalSeconds = config.CRM_READBACK_INTERVAL_SECONDS;
    const log = logger.child({ context: CrmReadback.name });
    const leaseSeconds = readbackLeaseSeconds(config.CRM_CALL_TIMEOUT_MS);
    this.readbacks = config.CRM_SYNC_DRY_RUN
      ? []
      : drain.drainers.map(
          (d) =>
            new CrmReadback(db, d.gateway, d.control, producer, metrics, log.child({ target: d.gateway.target }), {
              intervalSeconds: this.intervalSeconds,
              leaseSeconds,
            }),
        );
  }

  /** Reads every enabled CRM now (one instance at a time per CRM): the scheduler's and the CLI's entry point. */
  async readBackAll(): Promise<ReadbackSummary[]> {
    return Promise.all(this.readbacks.map((r) => r.readOnce(true)));
  }

  onApplicationBootstrap(): void {
    if (this.intervalSeconds === 0 || this.readbacks.length === 0) {
      if (this.readbacks.length > 0) this.logger.info('CRM read-back of completed tasks: periodic loop off (CRM_READBACK_INTERVAL_SECONDS=0)');
      return;
    }
    for (const r of this.readbacks) this.metrics.readbackInterval.set({ crm: r.target }, this.intervalSeconds);
    const wakeMs = Math.min(MAX_WAKE_MS, this.intervalSeconds * 1000);
    const tick = () => {
      this.running = Promise.all(this.readbacks.map((r) => r.readOnce(false)))
        .catch((error: unknown) => this.logger.error({ err: error }, 'CRM read-back could not run (Postgres?): trying again at the next tick'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, wakeMs);
        });
    };
    tick();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const r of this.readbacks) r.stop();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
