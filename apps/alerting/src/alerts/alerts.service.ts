import { Injectable, Inject } from '@nestjs/common';
import { AlertingQueueRepository, AlertRepository, NotificationRepository, type AlertRow } from '@churn/alerting-data';
import { AuditLogRepository, Database } from '@churn/db';
import type { Logger } from '@churn/observability';
import { LOGGER, type Principal } from '@churn/service-kit';
import { slaTargetSeconds } from '../rules/alert-rules.schema';
import { AlertRulesService } from '../rules/alert-rules.service';
import { SlaService } from '../sla/sla.service';
import { AlertUpdatesOutbox } from '../updates/alert-updates.outbox';
import { AlertUpdatesRelay } from '../updates/alert-updates.relay';
import { AlertError, alertNotFound, alertStateCode } from './alert-error';
import { alertView, type AlertView } from './alert-view';
import type { AlertActionBody } from './alerts.schemas';

export type AlertAction = 'acknowledge' | 'resolve';

/**
 * What an acknowledgment or resolution did to one alert: `changed`; `unchanged` (it already is where
 * the action would take it, or beyond: resolved); `conflict` (the action cannot apply, e.g.
 * acknowledging an expired acknowledgment); `not_found`.
 */
export type ActionOutcome = { readonly outcome: 'changed' | 'unchanged' | 'conflict'; readonly row: AlertRow } | { readonly outcome: 'not_found' };

/** One alert and the acknowledgment life cycle; every change is audited and written to `alert-updates` in its own transaction. */
@Injectable()
export class AlertsService {
  private readonly alerts = new AlertRepository();
  private readonly queue = new AlertingQueueRepository();
  private readonly notifications = new NotificationRepository();
  private readonly audit = new AuditLogRepository();
  private readonly logger: Logger;

  constructor(
    private readonly database: Database,
    private readonly sla: SlaService,
    private readonly rules: AlertRulesService,
    private readonly updates: AlertUpdatesOutbox,
    private readonly relay: AlertUpdatesRelay,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: AlertsService.name });
  }

  view(row: AlertRow): AlertView {
    return alertView(row, slaTargetSeconds(this.rules.current()));
  }

  async get(alertId: string) {
    const row = await this.alerts.findById(this.database, alertId);
    if (!row) throw alertNotFound(alertId);
    const notifications = await this.notifications.forAlert(this.database, alertId);
    return {
      ...this.view(row),
      notifications: notifications.map((n) => ({
        channel: n.channel,
        kind: n.kind,
        status: n.status,
        attempts: n.attempts,
        delivered_via: n.delivered_via,
        last_error: n.last_error,
        rejected_recipients: n.rejected_recipients ?? [],
      })),
    };
  }

  async acknowledge(alertId: string, body: AlertActionBody, principal: Principal): Promise<AlertView> {
    return this.view(this.changedOrThrow(alertId, await this.apply(alertId, 'acknowledge', body, principal)));
  }

  async resolve(alertId: string, body: AlertActionBody, principal: Principal): Promise<AlertView> {
    return this.view(this.changedOrThrow(alertId, await this.apply(alertId, 'resolve', body, principal)));
  }

  /** Acknowledges or resolves one alert in its own transaction: the row, its audit entry and its update commit together. */
  async apply(alertId: string, action: AlertAction, body: AlertActionBody, principal: Principal): Promise<ActionOutcome> {
    const by = body.by ?? principal.subject;
    const note = body.note ?? null;
    const result = await this.database.transaction(async (tx): Promise<ActionOutcome> => {
      const before = await this.queue.findForUpdate(tx, alertId);
      if (!before) return { outcome: 'not_found' };
      if (!allowed(before.status, action))
        return { outcome: before.status === 'resolved' || before.status === 'acknowledged' ? 'unchanged' : 'conflict', row: before };
      const row = action === 'acknowledge' ? await this.alerts.acknowledge(tx, alertId, by, note) : await this.alerts.resolve(tx, alertId, by, note);
      if (!row) return { outcome: 'conflict', row: before };
      await this.audit.record(tx, {
        actor: principal.subject,
        action: `alert.${action}`,
        subject: `alert:${alertId}`,
        details: { by, note, level: row.level, customer_id: row.customer_id, from: before.status },
      });
      await this.updates.record(tx, [{ row, change: action === 'acknowledge' ? 'acknowledged' : 'resolved', by, note }]);
      if (before.status === 'pending') this.sla.observeAcknowledged(row.level, row.created_at, row.acknowledged_at!);
      this.logger.info(
        { alert_id: alertId, customer_id: row.customer_id, level: row.level, by, actor: principal.subject, from: before.status },
        `alert ${action}d`,
      );
      return { outcome: 'changed', row };
    });
    if (result.outcome === 'changed') {
      this.relay.nudge();
      void this.sla.refresh();
    }
    return result;
  }

  private changedOrThrow(alertId: string, result: ActionOutcome): AlertRow {
    if (result.outcome === 'not_found') throw alertNotFound(alertId);
    if (result.outcome === 'changed') return result.row;
    const { row } = result;
    const who = row.status === 'resolved' ? row.resolved_by : row.acknowledged_by;
    throw new AlertError(alertStateCode(row.status), `alert ${alertId} is already ${row.status}${who ? ` (by ${who})` : ''}`);
  }
}

/** The life cycle: pending → acknowledged → expired; pending, acknowledged or expired → resolved. */
function allowed(status: AlertRow['status'], action: AlertAction): boolean {
  return action === 'acknowledge' ? status === 'pending' : status !== 'resolved';
}
