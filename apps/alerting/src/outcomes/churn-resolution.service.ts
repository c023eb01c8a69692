import { Inject, Injectable } from '@nestjs/common';
import type { Outcome } from '@churn/contracts';
import { AlertingChurnRepository, type CustomerChurn } from '@churn/alerting-data';
import { AuditLogRepository, Database } from '@churn/db';
import { getOrCreateCounter, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY } from '@churn/service-kit';
import { AlertUpdatesOutbox } from '../updates/alert-updates.outbox';
import { AlertUpdatesRelay } from '../updates/alert-updates.relay';

/** Who resolves an alert on a churn, in `resolved_by` and the audit log. */
export const CHURN_RESOLVER = 'system:churn';

/**
 * outcomes → alerts: a churned:true outcome (any source: a cancellation ingest derived, a feed, a
 * person) resolves the customer's open alerts (pending, acknowledged or expired) raised on predictions made up to the churn, with
 * resolution `churned`, and records the churn time so that a late prediction of the churned customer
 * raises no alert (AlertIntakeService). Idempotent: a redelivered outcome finds nothing open to resolve
 * and records the same time. churned:false outcomes change nothing here.
 */
@Injectable()
export class ChurnResolutionService {
  private readonly churn = new AlertingChurnRepository();
  private readonly audit = new AuditLogRepository();
  private readonly logger: Logger;
  private readonly metrics;

  constructor(
    private readonly database: Database,
    private readonly updates: AlertUpdatesOutbox,
    private readonly relay: AlertUpdatesRelay,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: ChurnResolutionService.name });
    this.metrics = {
      outcomes: getOrCreateCounter(registry, {
        name: 'alerting_outcomes_total',
        help: 'Outcomes read from outcomes, by churned (true, false).',
        labelNames: ['churned'] as const,
      }),
      resolved: getOrCreateCounter(registry, {
        name: 'alerting_alerts_resolved_by_churn_total',
        help: 'Open alerts (pending or acknowledged) resolved because the customer churned, by level and the status they had.',
        labelNames: ['level', 'status'] as const,
      }),
    };
  }

  async process(outcomes: readonly Outcome[]): Promise<number> {
    const churns: CustomerChurn[] = outcomes.filter((o) => o.churned).map((o) => ({ customerId: o.customer_id, churnedAt: o.observed_at }));
    this.metrics.outcomes.inc({ churned: 'true' }, churns.length);
    this.metrics.outcomes.inc({ churned: 'false' }, outcomes.length - churns.length);
    if (churns.length === 0) return 0;
    const resolved = await this.database.transaction(async (tx) => {
      await this.churn.record(tx, churns);
      const rows = await this.churn.resolveOpenAlerts(tx, churns, CHURN_RESOLVER);
      for (const row of rows) {
        await this.audit.record(tx, {
          actor: CHURN_RESOLVER,
          action: 'alert.resolve',
          subject: `alert:${row.alert_id}`,
          details: { customer_id: row.customer_id, level: row.level, resolution: 'churned' },
        });
      }
      await this.updates.record(
        tx,
        rows.map((row) => ({ row, change: 'churned' as const, by: CHURN_RESOLVER })),
      );
      return rows;
    });
    if (resolved.length > 0) this.relay.nudge();
    for (const row of resolved) {
      // acknowledged_at is left as it was: set means someone had acknowledged the alert before the churn.
      this.metrics.resolved.inc({ level: row.level, status: row.acknowledged_at ? 'acknowledged' : 'pending' });
      this.logger.info(
        { alert_id: row.alert_id, customer_id: row.customer_id, level: row.level, resolution: 'churned' },
        'alert resolved: the customer churned',
      );
    }
    return resolved.length;
  }
}
