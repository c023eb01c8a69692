import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { RISK_LEVELS } from '@churn/contracts';
import { AlertingScoreRepository, AlertRepository, NotificationRepository } from '@churn/alerting-data';
import { Database } from '@churn/db';
import { getOrCreateGauge, getOrCreateHistogram, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '@churn/service-kit';
import type { AlertingConfig } from '../config';
import { DESTINATION_UP_HELP, EnabledChannels } from '../delivery/enabled-channels';
import { slaTargetSeconds } from '../rules/alert-rules.schema';
import { AlertRulesService } from '../rules/alert-rules.service';

const HOUR = 3600;

export interface LevelSla {
  level: string;
  target_hours: number;
  acknowledged: number;
  median_hours_to_acknowledge: number | null;
  p90_hours_to_acknowledge: number | null;
  acknowledged_late: number;
  pending: number;
  breaching: number;
  oldest_pending_at: string | null;
}

/**
 * Alert SLAs: time to acknowledge by level against the rules' targets (operations guide: critical
 * < 24 h, high < 48 h). The histogram is observed by the instance that takes the acknowledgment; the
 * gauges and the API read Postgres, so every instance reports the same figures.
 */
@Injectable()
export class SlaService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly alerts = new AlertRepository();
  private readonly notifications = new NotificationRepository();
  private readonly scores = new AlertingScoreRepository();
  private readonly logger: Logger;
  private readonly metrics;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly database: Database,
    private readonly rules: AlertRulesService,
    private readonly channels: EnabledChannels,
    @Inject(SERVICE_CONFIG) private readonly config: AlertingConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: SlaService.name });
    this.metrics = {
      timeToAck: getOrCreateHistogram(registry, {
        name: 'alerting_time_to_acknowledge_seconds',
        help: 'Time from alert creation to acknowledgment, by level.',
        labelNames: ['level'] as const,
        buckets: [300, 900, 1800, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 12 * HOUR, 24 * HOUR, 48 * HOUR, 72 * HOUR, 168 * HOUR],
      }),
      pending: getOrCreateGauge(registry, { name: 'alerting_alerts_pending', help: 'Alerts not yet acknowledged, by level.', labelNames: ['level'] as const }),
      pastSla: getOrCreateGauge(registry, {
        name: 'alerting_alerts_past_sla',
        help: 'Pending alerts older than their level’s time-to-acknowledge target, by level.',
        labelNames: ['level'] as const,
      }),
      slaTarget: getOrCreateGauge(registry, {
        name: 'alerting_sla_target_seconds',
        help: 'Time-to-acknowledge target by level (rules file).',
        labelNames: ['level'] as const,
      }),
      outbox: getOrCreateGauge(registry, {
        name: 'alerting_notifications',
        help: 'Outbox rows by channel and status (pending, sent, parked, awaiting_digest, in_digest).',
        labelNames: ['channel', 'status'] as const,
      }),
      destinationUp: getOrCreateGauge(registry, { name: 'alerting_destination_up', help: DESTINATION_UP_HELP, labelNames: ['channel'] as const }),
    };
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

  observeAcknowledged(level: string, createdAt: Date, acknowledgedAt: Date): void {
    this.metrics.timeToAck.observe({ level }, Math.max(0, (acknowledgedAt.getTime() - createdAt.getTime()) / 1000));
  }

  /** Re-reads the gauges from Postgres; also prunes the score history. */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  async summary(since: Date): Promise<{ since: string; levels: LevelSla[] }> {
    const targets = slaTargetSeconds(this.rules.current());
    const [acks, pending] = await Promise.all([
      this.alerts.acknowledgementFigures(this.database, since, targets),
      this.alerts.pendingFigures(this.database, targets),
    ]);
    const levels = [...RISK_LEVELS].reverse().map((level): LevelSla => {
      const a = acks.find((r) => r.level === level);
      const p = pending.find((r) => r.level === level);
      return {
        level,
        target_hours: targets[level] / HOUR,
        acknowledged: a?.acknowledged ?? 0,
        median_hours_to_acknowledge: a?.median_seconds == null ? null : round(a.median_seconds / HOUR),
        p90_hours_to_acknowledge: a?.p90_seconds == null ? null : round(a.p90_seconds / HOUR),
        acknowledged_late: a?.acknowledged_late ?? 0,
        pending: p?.pending ?? 0,
        breaching: p?.breaching ?? 0,
        oldest_pending_at: p?.oldest_pending_at?.toISOString() ?? null,
      };
    });
    return { since: since.toISOString(), levels };
  }

  private async doRefresh(): Promise<void> {
    try {
      const targets = slaTargetSeconds(this.rules.current());
      const pending = await this.alerts.pendingFigures(this.database, targets);
      for (const level of RISK_LEVELS) {
        const row = pending.find((r) => r.level === level);
        this.metrics.pending.set({ level }, row?.pending ?? 0);
        this.metrics.pastSla.set({ level }, row?.breaching ?? 0);
        this.metrics.slaTarget.set({ level }, targets[level]);
      }
      const counts = await this.notifications.counts(this.database);
      this.metrics.outbox.reset();
      for (const row of counts) this.metrics.outbox.set({ channel: row.channel, status: row.status }, row.count);
      for (const destination of await this.notifications.destinations(this.database)) {
        if (this.channels.has(destination.channel)) {
          this.metrics.destinationUp.set({ channel: destination.channel }, destination.status === 'up' ? 1 : 0);
        }
      }
      const keepDays = Math.max(this.config.ALERTING_SCORE_HISTORY_DAYS, Math.ceil(this.rules.current().score_jump.within_days) + 1);
      await this.scores.prune(this.database, keepDays);
    } catch (error) {
      this.logger.warn({ err: error }, 'SLA refresh failed');
    }
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
