import { HttpStatus, Injectable, Inject } from '@nestjs/common';
import { AlertRepository, AuditLogRepository, Database, NotificationRepository, type AlertRow } from '@churn/db';
import type { Logger } from '@churn/observability';
import { DomainError, LOGGER, type Principal } from '@churn/service-kit';
import { SlaService } from '../sla/sla.service';
import type { AlertActionBody, ListAlertsQuery } from './alerts.schemas';

/** An alert as the API shows it: the row with ISO timestamps. */
export type AlertView = Omit<AlertRow, 'created_at' | 'acknowledged_at' | 'resolved_at'> & {
  created_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
};

export function alertView(row: AlertRow): AlertView {
  return {
    ...row,
    created_at: row.created_at.toISOString(),
    acknowledged_at: row.acknowledged_at?.toISOString() ?? null,
    resolved_at: row.resolved_at?.toISOString() ?? null,
  };
}

function encodeCursor(row: AlertRow & { cursor_at: string }): string {
  return Buffer.from(JSON.stringify([row.cursor_at, row.alert_id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; alertId: string } {
  try {
    const [createdAt, alertId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    if (typeof alertId !== 'string' || typeof createdAt !== 'string' || !/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d{1,6})?([+-]\d\d(:?\d\d)?|Z)$/.test(createdAt)) throw new Error('bad cursor');
    return { createdAt, alertId };
  } catch {
    throw new DomainError('INVALID_CURSOR', 'cursor is not one this API returned', HttpStatus.BAD_REQUEST);
  }
}

/** Listing and the acknowledgment life cycle; every change is audited in its own transaction. */
@Injectable()
export class AlertsService {
  private readonly alerts = new AlertRepository();
  private readonly notifications = new NotificationRepository();
  private readonly audit = new AuditLogRepository();
  private readonly logger: Logger;

  constructor(
    private readonly database: Database,
    private readonly sla: SlaService,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: AlertsService.name });
  }

  async list(query: ListAlertsQuery): Promise<{ alerts: AlertView[]; next_cursor: string | null }> {
    const rows = await this.alerts.list(this.database, {
      status: query.status,
      level: query.level,
      since: query.since ? new Date(query.since) : undefined,
      customerId: query.customer_id,
      before: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    return { alerts: page.map(({ cursor_at: _, ...row }) => alertView(row)), next_cursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]!) : null };
  }

  async get(alertId: string) {
    const row = await this.alerts.findById(this.database, alertId);
    if (!row) throw new DomainError('ALERT_NOT_FOUND', `no alert ${alertId}`, HttpStatus.NOT_FOUND);
    const notifications = await this.notifications.forAlert(this.database, alertId);
    return {
      ...alertView(row),
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
    const row = await this.transition(alertId, body, principal, 'acknowledge');
    this.sla.observeAcknowledged(row.level, row.created_at, row.acknowledged_at!);
    void this.sla.refresh();
    return alertView(row);
  }

  async resolve(alertId: string, body: AlertActionBody, principal: Principal): Promise<AlertView> {
    const row = await this.transition(alertId, body, principal, 'resolve');
    void this.sla.refresh();
    return alertView(row);
  }

  private async transition(alertId: string, body: AlertActionBody, principal: Principal, action: 'acknowledge' | 'resolve'): Promise<AlertRow> {
    return this.database.transaction(async (tx) => {
      const before = await this.alerts.findById(tx, alertId);
      if (!before) throw new DomainError('ALERT_NOT_FOUND', `no alert ${alertId}`, HttpStatus.NOT_FOUND);
      const wasPending = before.status === 'pending';
      const row = action === 'acknowledge' ? await this.alerts.acknowledge(tx, alertId, body.by) : await this.alerts.resolve(tx, alertId, body.by);
      if (!row) {
        throw new DomainError(
          before.status === 'resolved' ? 'ALERT_RESOLVED' : 'ALERT_ACKNOWLEDGED',
          `alert ${alertId} is already ${before.status}${before.status === 'resolved' ? ` (by ${before.resolved_by})` : ` (by ${before.acknowledged_by})`}`,
          HttpStatus.CONFLICT,
        );
      }
      await this.audit.record(tx, {
        actor: principal.subject,
        action: `alert.${action}`,
        subject: `alert:${alertId}`,
        details: { by: body.by, note: body.note ?? null, level: row.level, customer_id: row.customer_id },
      });
      this.logger.info({ alert_id: alertId, customer_id: row.customer_id, level: row.level, by: body.by, actor: principal.subject }, `alert ${action}d`);
      if (action === 'resolve' && wasPending) this.sla.observeAcknowledged(row.level, row.created_at, row.acknowledged_at!);
      return row;
    });
  }
}
