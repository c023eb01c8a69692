import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AlertingQueueRepository, type AlertRow } from '@churn/alerting-data';
import { AuditLogRepository, Database } from '@churn/db';
import { getOrCreateCounter, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '@churn/service-kit';
import type { AlertingConfig } from '../config';
import { AlertUpdatesOutbox } from '../updates/alert-updates.outbox';
import { AlertUpdatesRelay } from '../updates/alert-updates.relay';

/** Who expires an acknowledgment, in the audit log and on `alert-updates`. */
export const EXPIRY_ACTOR = 'system:expiry';
const SWEEP_BATCH = 500;

/**
 * Marks acknowledgments older than ALERT_ACK_EXPIRY_HOURS `expired` — with `expired_at` the moment they
 * ran out — audits each and writes its `expired` update, in one transaction per batch. Every instance
 * sweeps; rows another instance holds are skipped (SKIP LOCKED). The rules stop counting such an
 * acknowledgment as an open intervention the moment it runs out, whether or not a sweep has marked it.
 */
@Injectable()
export class AckExpirySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly queue = new AlertingQueueRepository();
  private readonly audit = new AuditLogRepository();
  private readonly logger: Logger;
  private readonly expired;
  private readonly failures;
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<number> | undefined;

  constructor(
    private readonly database: Database,
    private readonly updates: AlertUpdatesOutbox,
    private readonly relay: AlertUpdatesRelay,
    @Inject(SERVICE_CONFIG) private readonly config: AlertingConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: AckExpirySweeper.name });
    this.expired = getOrCreateCounter(registry, {
      name: 'alerting_alerts_expired_total',
      help: 'Acknowledgments expired (ALERT_ACK_EXPIRY_HOURS), by level.',
      labelNames: ['level'] as const,
    });
    this.failures = getOrCreateCounter(registry, {
      name: 'alerting_expiry_sweep_failures_total',
      help: 'Expiry sweeps that failed (Postgres); the next sweep takes the same alerts.',
      labelNames: [] as const,
    });
  }

  onApplicationBootstrap(): void {
    void this.sweep().catch(() => undefined);
    this.timer = setInterval(() => void this.sweep().catch(() => undefined), this.config.ALERT_EXPIRY_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping?.catch(() => undefined);
  }

  /** Expires every acknowledgment past the expiry; resolves with how many. Concurrent calls share one sweep. */
  sweep(): Promise<number> {
    this.sweeping ??= this.doSweep().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async doSweep(): Promise<number> {
    let total = 0;
    try {
      let batch: AlertRow[];
      do {
        batch = await this.database.transaction(async (tx) => {
          const rows = await this.queue.expireAcknowledged(tx, this.config.ALERT_ACK_EXPIRY_HOURS * 3600, SWEEP_BATCH);
          for (const row of rows) {
            await this.audit.record(tx, {
              actor: EXPIRY_ACTOR,
              action: 'alert.expire',
              subject: `alert:${row.alert_id}`,
              details: {
                customer_id: row.customer_id,
                level: row.level,
                acknowledged_at: row.acknowledged_at?.toISOString(),
                occurred_at: row.expired_at?.toISOString(),
                expiry_hours: this.config.ALERT_ACK_EXPIRY_HOURS,
              },
            });
          }
          await this.updates.record(
            tx,
            rows.map((row) => ({ row, change: 'expired' as const, by: EXPIRY_ACTOR })),
          );
          return rows;
        });
        total += batch.length;
        for (const row of batch) {
          this.expired.inc({ level: row.level });
          this.logger.info(
            { alert_id: row.alert_id, customer_id: row.customer_id, level: row.level, acknowledged_at: row.acknowledged_at, expired_at: row.expired_at },
            'acknowledgment expired',
          );
        }
      } while (batch.length === SWEEP_BATCH);
    } catch (error) {
      this.failures.inc();
      this.logger.warn({ err: error }, 'expiry sweep failed');
      throw error;
    }
    if (total > 0) this.relay.nudge();
    return total;
  }
}
