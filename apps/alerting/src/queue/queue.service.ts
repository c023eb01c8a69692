import { Inject, Injectable } from '@nestjs/common';
import type { AlertHistory, AlertHistoryEntry, AlertQueuePage, BulkAnswer } from '@churn/contracts';
import { AlertingQueueRepository, AlertRepository, type AlertRow, type QueueOwner } from '@churn/alerting-data';
import { AuditLogRepository, Database } from '@churn/db';
import { getOrCreateCounter, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, type Principal } from '@churn/service-kit';
import { alertView, type AlertView } from '../alerts/alert-view';
import { AlertError, alertNotFound } from '../alerts/alert-error';
import { AlertsService } from '../alerts/alerts.service';
import { slaTargetSeconds } from '../rules/alert-rules.schema';
import { AlertRulesService } from '../rules/alert-rules.service';
import { AlertUpdatesOutbox } from '../updates/alert-updates.outbox';
import { AlertUpdatesRelay } from '../updates/alert-updates.relay';
import { levelTargets } from './due-at';
import type { AssignBody, BulkBody, QueueQuery } from './queue.schemas';

/** Per alert of a bulk action: what happened to it. Only `not_found` and `conflict` are failures. */
type BulkResult = BulkAnswer['results'][number]['result'];

/** The person named by `me` is the caller (the token's subject; monitoring forwards the signed-in person's). */
function person(name: string, principal: Principal): string {
  return name === 'me' ? principal.subject : name;
}

/** The work queue: every alert filtered, sorted by deadline or level and paged with a total; assignment; bulk actions; history. */
@Injectable()
export class QueueService {
  private readonly queue = new AlertingQueueRepository();
  private readonly alertRows = new AlertRepository();
  private readonly audit = new AuditLogRepository();
  private readonly logger: Logger;
  private readonly metrics;

  constructor(
    private readonly database: Database,
    private readonly rules: AlertRulesService,
    private readonly alerts: AlertsService,
    private readonly updates: AlertUpdatesOutbox,
    private readonly relay: AlertUpdatesRelay,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: QueueService.name });
    this.metrics = {
      assignments: getOrCreateCounter(registry, {
        name: 'alerting_alert_assignments_total',
        help: 'Alerts assigned or unassigned through the API, by action (assign, unassign).',
        labelNames: ['action'] as const,
      }),
      bulk: getOrCreateCounter(registry, {
        name: 'alerting_bulk_alerts_total',
        help: 'Alerts in bulk actions, by action (acknowledge, resolve) and result (acknowledged, resolved, already_acknowledged, already_resolved, not_found, conflict).',
        labelNames: ['action', 'result'] as const,
      }),
    };
  }

  async list(query: QueueQuery, principal: Principal): Promise<AlertQueuePage> {
    const targets = slaTargetSeconds(this.rules.current());
    const owner: QueueOwner | undefined =
      query.owner === undefined ? undefined : query.owner === 'none' ? { kind: 'none' } : { kind: 'person', name: person(query.owner, principal) };
    const { total, rows } = await this.queue.page(
      this.database,
      {
        levels: query.level,
        states: query.state,
        owner,
        overdue: query.overdue,
        customerId: query.customer_id,
        since: query.since ? new Date(query.since) : undefined,
      },
      levelTargets(targets),
      { sort: query.sort, offset: (query.page - 1) * query.page_size, limit: query.page_size },
    );
    const now = new Date();
    return {
      alerts: rows.map(({ due_at: _due, overdue: _overdue, ...row }) => alertView(row, targets, now)),
      page: query.page,
      page_size: query.page_size,
      total,
    };
  }

  /** Assigns (or, with null, unassigns) an alert that is not resolved; assigning to the current assignee changes nothing and publishes nothing. */
  async assign(alertId: string, body: AssignBody, principal: Principal): Promise<AlertView> {
    const assignee = body.assignee === null ? null : person(body.assignee, principal);
    const changed = await this.database.transaction(async (tx) => {
      const before = await this.queue.findForUpdate(tx, alertId);
      if (!before) throw alertNotFound(alertId);
      if (before.status === 'resolved') throw new AlertError('ALERT_RESOLVED', `alert ${alertId} is resolved; a resolved alert is not assigned`);
      const row = await this.queue.assign(tx, alertId, assignee);
      if (!row) return { row: before, changed: false };
      await this.audit.record(tx, {
        actor: principal.subject,
        action: 'alert.assign',
        subject: `alert:${alertId}`,
        details: { assignee, previous: before.assignee, customer_id: row.customer_id, level: row.level },
      });
      await this.updates.record(tx, [{ row, change: 'assigned', by: principal.subject }]);
      return { row, changed: true };
    });
    if (changed.changed) {
      this.relay.nudge();
      this.metrics.assignments.inc({ action: assignee === null ? 'unassign' : 'assign' });
      this.logger.info(
        { alert_id: alertId, customer_id: changed.row.customer_id, assignee, actor: principal.subject },
        assignee === null ? 'alert unassigned' : 'alert assigned',
      );
    }
    return this.alerts.view(changed.row);
  }

  /**
   * Acknowledges or resolves each alert in its own transaction, in the order given, and reports each
   * one's result: one alert that cannot change (unknown, or an expired acknowledgment to acknowledge)
   * does not hold back the others, and one already where the action would take it is not a failure.
   */
  async bulk(body: BulkBody, principal: Principal): Promise<BulkAnswer> {
    const results: BulkAnswer['results'] = [];
    for (const id of body.ids) {
      const outcome = await this.alerts.apply(id, body.action, { by: body.by, note: body.note }, principal);
      const result = bulkResult(body.action, outcome.outcome, outcome.outcome === 'not_found' ? null : outcome.row.status);
      results.push({ alert_id: id, result, status: outcome.outcome === 'not_found' ? null : outcome.row.status });
      this.metrics.bulk.inc({ action: body.action, result });
    }
    const failed = results.filter((r) => r.result === 'not_found' || r.result === 'conflict').length;
    const changed = results.filter((r) => r.result === 'acknowledged' || r.result === 'resolved').length;
    this.logger.info({ action: body.action, alerts: body.ids.length, changed, failed, actor: principal.subject }, 'bulk alert action');
    return { action: body.action, changed, unchanged: results.length - changed - failed, failed, results };
  }

  /** What was done to an alert, oldest first: its creation, then the audit log (assignments, acknowledgment, resolution, expiry, churn). */
  async history(alertId: string): Promise<AlertHistory> {
    const row = await this.alertRows.findById(this.database, alertId);
    if (!row) throw alertNotFound(alertId);
    const entries = (await this.audit.findBySubject(this.database, `alert:${alertId}`, 500)).reverse();
    const raised: AlertHistoryEntry = {
      at: row.created_at.toISOString(),
      actor: 'system:rules',
      action: 'alert.raise',
      by: null,
      note: null,
      details: { level: row.level, reason: row.reason, risk_score: row.risk_score },
    };
    return {
      alert_id: alertId,
      history: [
        raised,
        ...entries.map((e) => {
          const {
            by,
            note,
            occurred_at: occurredAt,
            ...details
          } = e.details as { by?: string; note?: string | null; occurred_at?: string } & Record<string, unknown>;
          // An expiry is recorded by the sweep after the moment the acknowledgment ran out; that moment is the one that happened.
          return { at: occurredAt ?? e.at.toISOString(), actor: e.actor, action: e.action, by: by ?? e.actor, note: note ?? null, details };
        }),
      ],
    };
  }
}

function bulkResult(action: BulkBody['action'], outcome: 'changed' | 'unchanged' | 'conflict' | 'not_found', status: AlertRow['status'] | null): BulkResult {
  if (outcome === 'not_found') return 'not_found';
  if (outcome === 'conflict') return 'conflict';
  if (outcome === 'changed') return action === 'acknowledge' ? 'acknowledged' : 'resolved';
  return status === 'resolved' ? 'already_resolved' : 'already_acknowledged';
}
