import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CrmBreaker, createCrmGateways, OutboxDrainer, refreshOutboxGauges, type CrmMetrics } from '@churn/crm';
import { type CrmTarget } from '@churn/crm-sync-data';
import { Database } from '@churn/db';
import { TopicProducer } from '@churn/kafka';
import type { Logger } from '@churn/observability';
import { LOGGER, SERVICE_CONFIG } from '@churn/service-kit';
import type { CrmSyncConfig } from '../config';
import { enabledTargets } from '../enabled-targets';
import { CRM_METRICS } from './crm-metrics.provider';

/** Runs one drain loop per enabled CRM, and refreshes the outbox gauges, for the life of the process. */
@Injectable()
export class CrmDrainHost implements OnApplicationBootstrap, OnModuleDestroy {
  readonly drainers: OutboxDrainer[];
  private readonly enabled: CrmTarget[];
  private gaugeTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(SERVICE_CONFIG) config: CrmSyncConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(TopicProducer) producer: TopicProducer,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CRM_METRICS) private readonly metrics: CrmMetrics,
  ) {
    const log = logger.child({ context: OutboxDrainer.name });
    if (config.CRM_SYNC_DRY_RUN) log.warn('dry run: CRM writes are logged, not sent');
    this.enabled = enabledTargets(config);
    this.drainers = createCrmGateways(config, logger, metrics).map((gateway) => {
      const breaker = new CrmBreaker(
        gateway.target,
        {
          timeoutMs: config.CRM_CALL_TIMEOUT_MS,
          errorThresholdPercentage: config.CRM_BREAKER_ERROR_PERCENT,
          volumeThreshold: config.CRM_BREAKER_VOLUME_THRESHOLD,
          resetTimeoutMs: config.CRM_BREAKER_RESET_MS,
        },
        log,
        metrics,
      );
      return new OutboxDrainer(db, gateway, breaker, producer, metrics, log.child({ target: gateway.target }), {
        intervalMs: config.CRM_DRAIN_INTERVAL_MS,
        leaseSeconds: config.CRM_CLAIM_LEASE_SECONDS,
        retryBudget: config.CRM_RETRY_BUDGET,
        retryBaseMs: config.CRM_RETRY_BASE_MS,
        retryMaxMs: config.CRM_RETRY_MAX_MS,
        dryRun: config.CRM_SYNC_DRY_RUN,
        probeIntervalMs: config.CRM_PAUSE_PROBE_INTERVAL_MS,
      });
    });
  }

  nudge(): void {
    for (const drainer of this.drainers) drainer.nudge();
  }

  /** An admin (`subject`) resumes a paused CRM (audited) and its loop looks at once; false when it was not paused. */
  async resume(target: CrmTarget, subject: string): Promise<boolean> {
    const drainer = this.drainers.find((d) => d.control.target === target);
    if (!drainer) return false;
    const resumed = await drainer.control.resume(`admin ${subject}`, subject);
    drainer.nudge();
    return resumed;
  }

  onApplicationBootstrap(): void {
    for (const drainer of this.drainers) drainer.start();
    const refresh = () =>
      refreshOutboxGauges(this.db, this.metrics, this.enabled).catch((error: unknown) => this.logger.warn({ err: error }, 'outbox gauges not refreshed'));
    void refresh();
    this.gaugeTimer = setInterval(refresh, 5000);
    this.gaugeTimer.unref();
  }

  /** Before the pool closes: the batch in flight is recorded, then the loops end. */
  async onModuleDestroy(): Promise<void> {
    if (this.gaugeTimer) clearInterval(this.gaugeTimer);
    await Promise.all(this.drainers.map((d) => d.stop()));
  }
}
