import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { RISK_LEVELS } from '@churn/contracts';
import { AlertingQueueRepository } from '@churn/alerting-data';
import { Database } from '@churn/db';
import { getOrCreateGauge, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '@churn/service-kit';
import type { AlertingConfig } from '../config';
import { slaTargetSeconds } from '../rules/alert-rules.schema';
import { AlertRulesService } from '../rules/alert-rules.service';
import { AlertNotificationsRelay } from '../updates/alert-notifications.relay';
import { AlertUpdatesRelay } from '../updates/alert-updates.relay';
import { levelTargets } from './due-at';

const OPEN_STATES = ['pending', 'acknowledged', 'expired'] as const;

/** The queue's gauges and the `alert-updates` backlog, read from Postgres every SLA_REFRESH_INTERVAL_MS so every instance reports the same. */
@Injectable()
export class QueueMetricsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly queue = new AlertingQueueRepository();
  private readonly logger: Logger;
  private readonly size;
  private readonly overdue;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly database: Database,
    private readonly rules: AlertRulesService,
    private readonly relay: AlertUpdatesRelay,
    private readonly notificationsRelay: AlertNotificationsRelay,
    @Inject(SERVICE_CONFIG) private readonly config: AlertingConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: QueueMetricsService.name });
    this.size = getOrCreateGauge(registry, {
      name: 'alerting_queue_alerts',
      help: 'Alerts not resolved, by state (pending, acknowledged, expired) and level.',
      labelNames: ['state', 'level'] as const,
    });
    this.overdue = getOrCreateGauge(registry, {
      name: 'alerting_queue_overdue_alerts',
      help: 'Pending alerts past their deadline (creation + the level’s SLA target), by level.',
      labelNames: ['level'] as const,
    });
  }

  onApplicationBootstrap(): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.config.SLA_REFRESH_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.refreshing;
  }

  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    try {
      const counts = await this.queue.stateCounts(this.database, levelTargets(slaTargetSeconds(this.rules.current())));
      for (const level of RISK_LEVELS) {
        for (const state of OPEN_STATES) this.size.set({ state, level }, counts.find((c) => c.state === state && c.level === level)?.n ?? 0);
        this.overdue.set({ level }, counts.find((c) => c.state === 'pending' && c.level === level)?.overdue ?? 0);
      }
      await this.relay.refreshBacklog();
      await this.notificationsRelay.refreshBacklog();
    } catch (error) {
      this.logger.warn({ err: error }, 'queue metrics refresh failed');
    }
  }
}
