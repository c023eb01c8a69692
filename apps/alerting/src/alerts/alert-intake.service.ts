import { Inject, Injectable } from '@nestjs/common';
import { Topics, type Alert, type Prediction, type RiskLevel } from '@churn/contracts';
import {
  AlertingChurnRepository,
  AlertingScoreRepository,
  AlertRepository,
  NotificationRepository,
  type AlertRow,
  type NewAlert,
  type NewNotification,
} from '@churn/alerting-data';
import { Database } from '@churn/db';
import { TopicProducer } from '@churn/kafka';
import { getOrCreateCounter, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '@churn/service-kit';
import type { AlertingConfig } from '../config';
import type { AlertDecision, CustomerAlertContext } from '../rules/alert-rules.engine';
import type { AlertRules } from '../rules/alert-rules.schema';
import { AlertRulesService } from '../rules/alert-rules.service';
import { EnabledChannels } from '../delivery/enabled-channels';
import { isOpenIntervention } from '../expiry/ack-expiry';
import { AlertUpdatesOutbox } from '../updates/alert-updates.outbox';
import { AlertUpdatesRelay } from '../updates/alert-updates.relay';

const DAY_MS = 86_400_000;

/**
 * predictions → alerts. One transaction per batch: the customers are locked, the rules decide with
 * what Postgres knows about each customer, new alerts are inserted (idempotent on prediction_id),
 * their notifications are queued in the outbox, their `raised` updates are written to the
 * `alert-updates` outbox, and the alerts are published on `alerts` before the COMMIT. A crash before COMMIT re-delivers the batch, which then decides the same alert ids again.
 */
@Injectable()
export class AlertIntakeService {
  private readonly alerts = new AlertRepository();
  private readonly scores = new AlertingScoreRepository();
  private readonly notifications = new NotificationRepository();
  private readonly churn = new AlertingChurnRepository();
  private readonly logger: Logger;
  private readonly metrics;

  constructor(
    private readonly database: Database,
    private readonly producer: TopicProducer,
    private readonly rules: AlertRulesService,
    private readonly channels: EnabledChannels,
    private readonly updates: AlertUpdatesOutbox,
    private readonly relay: AlertUpdatesRelay,
    @Inject(SERVICE_CONFIG) private readonly config: AlertingConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: AlertIntakeService.name });
    this.metrics = {
      evaluated: getOrCreateCounter(registry, {
        name: 'alerting_predictions_evaluated_total',
        help: 'Predictions evaluated by the rules, by risk level and outcome (alert, duplicate, below_threshold, control_arm, cooldown, open_intervention, churned).',
        labelNames: ['risk_level', 'outcome'] as const,
      }),
      created: getOrCreateCounter(registry, {
        name: 'alerting_alerts_created_total',
        help: 'Alerts created, by level and the rule that fired (level, score_jump).',
        labelNames: ['level', 'reason'] as const,
      }),
    };
  }

  async process(predictions: readonly Prediction[]): Promise<AlertRow[]> {
    if (predictions.length === 0) return [];
    const rules = this.rules.current();
    const engine = this.rules.engine();
    const now = new Date();
    const customers = [...new Set(predictions.map((p) => p.customer_id))];
    const { created, outcomes } = await this.database.transaction(async (tx) => {
      await this.alerts.lockCustomers(tx, customers);
      const contexts = await this.loadContexts(tx, customers, predictions, rules, now);
      // A prediction made (as_of) at or before the customer's churn — late, or replayed — raises nothing:
      // the customer has left. One after it (reactivated, scored again) is evaluated as usual.
      const churnedAt = await this.churn.churnedAt(tx, customers);
      const decisions: AlertDecision[] = engine.evaluateBatch(predictions, contexts, now).map((decision, i) => {
        const p = predictions[i]!;
        const churned = churnedAt.get(p.customer_id);
        return churned && Date.parse(p.as_of) <= churned.getTime() ? { alert: false, reason: 'churned' } : decision;
      });
      await this.scores.insert(
        tx,
        predictions.map((p) => ({ prediction_id: p.prediction_id, customer_id: p.customer_id, risk_score: p.risk_score, as_of: new Date(p.as_of) })),
      );
      const candidates: NewAlert[] = [];
      decisions.forEach((decision, i) => {
        if (!decision.alert) return;
        const p = predictions[i]!;
        candidates.push({
          alert_id: decision.alertId,
          customer_id: p.customer_id,
          prediction_id: p.prediction_id,
          level: decision.level,
          risk_score: p.risk_score,
          message: decision.message,
          reason: decision.reason,
          details: {
            model_version: p.model_version,
            churn_probability: p.churn_probability,
            recommended_action: p.recommended_action,
            intervention_cost: p.intervention_cost,
            revenue_at_risk: p.revenue_at_risk,
            top_factors: p.top_factors.slice(0, 5),
            experiment: p.experiment ?? null,
            as_of: p.as_of,
            ...(decision.jump ? { jump: decision.jump } : {}),
          },
        });
      });
      const inserted = await this.alerts.insertNew(tx, candidates);
      const byId = new Map(predictions.map((p) => [p.prediction_id, p]));
      await this.notifications.enqueue(tx, this.notificationsOf(inserted, rules));
      await this.updates.record(
        tx,
        inserted.map((row) => ({ row, change: 'raised' as const, by: null })),
      );
      await this.producer.send(
        Topics.alerts,
        inserted.map((row) => ({ key: row.customer_id, value: alertMessageOf(row, byId.get(row.prediction_id)!) })),
      );
      const insertedIds = new Set(inserted.map((r) => r.prediction_id));
      const outcomes = decisions.map((d, i) => (d.alert ? (insertedIds.has(predictions[i]!.prediction_id) ? 'alert' : 'duplicate') : d.reason));
      return { created: inserted, outcomes };
    });
    if (created.length > 0) this.relay.nudge();
    predictions.forEach((p, i) => this.metrics.evaluated.inc({ risk_level: p.risk_level, outcome: outcomes[i]! }));
    for (const row of created) {
      this.metrics.created.inc({ level: row.level, reason: row.reason });
      this.logger.info(
        { alert_id: row.alert_id, prediction_id: row.prediction_id, customer_id: row.customer_id, level: row.level, reason: row.reason },
        'alert created',
      );
    }
    return created;
  }

  private async loadContexts(
    tx: Parameters<Parameters<Database['transaction']>[0]>[0],
    customers: readonly string[],
    predictions: readonly Prediction[],
    rules: AlertRules,
    now: Date,
  ): Promise<Map<string, CustomerAlertContext>> {
    const recent = await this.alerts.recentForCustomers(tx, customers, rules.cooldown.days * 86_400, this.config.ALERT_ACK_EXPIRY_HOURS * 3600);
    const earliest = Math.min(...predictions.map((p) => Date.parse(p.as_of)));
    const history = rules.score_jump.enabled ? await this.scores.forCustomers(tx, customers, new Date(earliest - rules.score_jump.within_days * DAY_MS)) : [];
    const contexts = new Map<
      string,
      { recentAlerts: { level: RiskLevel; createdAt: Date }[]; openInterventions: { level: RiskLevel }[]; scores: CustomerAlertContext['scores'][number][] }
    >();
    const of = (customer: string) => {
      let ctx = contexts.get(customer);
      if (!ctx) contexts.set(customer, (ctx = { recentAlerts: [], openInterventions: [], scores: [] }));
      return ctx;
    };
    for (const alert of recent) {
      of(alert.customer_id).recentAlerts.push({ level: alert.level as RiskLevel, createdAt: alert.created_at });
      if (isOpenIntervention(alert.status, alert.acknowledged_at, this.config.ALERT_ACK_EXPIRY_HOURS, now))
        of(alert.customer_id).openInterventions.push({ level: alert.level as RiskLevel });
    }
    for (const score of history) of(score.customer_id).scores.push({ predictionId: score.prediction_id, riskScore: score.risk_score, asOf: score.as_of });
    return contexts;
  }

  private notificationsOf(alerts: readonly AlertRow[], rules: AlertRules): NewNotification[] {
    const rows: NewNotification[] = [];
    for (const alert of alerts) {
      const level = alert.level as RiskLevel;
      const base = { kind: 'alert' as const, alert_id: alert.alert_id, level };
      if (this.channels.slack && rules.routing.slack.includes(level))
        rows.push({ ...base, idempotency_key: `slack:${alert.alert_id}`, channel: 'slack', status: 'pending' });
      if (this.channels.email && rules.routing.email_immediate.includes(level))
        rows.push({ ...base, idempotency_key: `email:${alert.alert_id}`, channel: 'email', status: 'pending' });
      else if (this.channels.email && rules.routing.email_daily_digest.includes(level)) {
        rows.push({ ...base, idempotency_key: `email:${alert.alert_id}`, channel: 'email', status: 'awaiting_digest' });
      }
    }
    return rows;
  }
}

/** The `alerts` message of a stored alert, with what consumers read of the prediction that raised it. */
export function alertMessageOf(row: AlertRow, prediction: Prediction): Alert {
  return {
    alert_id: row.alert_id,
    customer_id: row.customer_id,
    level: row.level as RiskLevel,
    risk_score: row.risk_score,
    message: row.message,
    prediction_id: row.prediction_id,
    created_at: row.created_at.toISOString(),
    churn_probability: prediction.churn_probability,
    recommended_action: prediction.recommended_action,
    top_factors: prediction.top_factors,
    experiment_arm: prediction.experiment?.arm ?? null,
  };
}
