import { Inject, Injectable } from '@nestjs/common';
import type { ModelAlert } from '@churn/contracts';
import {
  AlertingModelAlertRepository,
  NotificationRepository,
  type NewNotification,
  type NotificationChannel,
  type ReceivedModelAlert,
} from '@churn/alerting-data';
import { Database } from '@churn/db';
import { getOrCreateCounter, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '@churn/service-kit';
import type { AlertingConfig } from '../config';
import { EnabledChannels } from '../delivery/enabled-channels';

const HOUR_MS = 3_600_000;

export type ModelAlertIntakeOutcome = 'notified' | 'cooldown' | 'duplicate';

/** The condition a cool-down is about: one model, one kind of alert, one subject (feature or metric). */
export function conditionKeyOf(alert: Pick<ModelAlert, 'model_version' | 'kind' | 'subject'>): string {
  return JSON.stringify([alert.model_version, alert.kind, alert.subject]);
}

/**
 * model-alerts → the operators' destinations. One transaction per batch: the batch's conditions are
 * locked, each model alert is recorded once (its id is the key, so a re-delivery does nothing), and
 * unless the same condition was notified within OPS_ALERT_COOLDOWN_HOURS (by the alerts' own
 * created_at, so a replay decides the same) its notifications are queued in the outbox, where the
 * dispatcher sends them like any other: claims, retries, parking and dead destinations included.
 */
@Injectable()
export class ModelAlertIntakeService {
  private readonly modelAlerts = new AlertingModelAlertRepository();
  private readonly notifications = new NotificationRepository();
  private readonly logger: Logger;
  private readonly received;

  constructor(
    private readonly database: Database,
    private readonly channels: EnabledChannels,
    @Inject(SERVICE_CONFIG) private readonly config: AlertingConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: ModelAlertIntakeService.name });
    this.received = getOrCreateCounter(registry, {
      name: 'alerting_model_alerts_received_total',
      help: 'Model alerts read from model-alerts, by kind and outcome (notified, cooldown, duplicate).',
      labelNames: ['kind', 'outcome'] as const,
    });
  }

  async process(alerts: readonly ModelAlert[]): Promise<ModelAlertIntakeOutcome[]> {
    if (alerts.length === 0) return [];
    const cooldownMs = this.config.OPS_ALERT_COOLDOWN_HOURS * HOUR_MS;
    const channels: NotificationChannel[] = [
      ...(this.channels.opsSlack ? (['ops_slack'] as const) : []),
      ...(this.channels.opsEmail ? (['ops_email'] as const) : []),
    ];
    const outcomes = await this.database.transaction(async (tx) => {
      await this.modelAlerts.lockConditions(tx, alerts.map(conditionKeyOf));
      const known = await this.modelAlerts.known(
        tx,
        alerts.map((a) => a.alert_id),
      );
      const decided: ModelAlertIntakeOutcome[] = [];
      const queued: NewNotification[] = [];
      // In event order, so the first of a burst of one condition starts the cool-down of the rest.
      const order = alerts.map((_, i) => i).sort((a, b) => Date.parse(alerts[a]!.created_at) - Date.parse(alerts[b]!.created_at));
      for (const i of order) {
        const alert = alerts[i]!;
        const row: ReceivedModelAlert = { ...alert, condition_key: conditionKeyOf(alert), created_at: new Date(alert.created_at) };
        if (known.has(alert.alert_id)) {
          decided[i] = 'duplicate';
          continue;
        }
        const cooling =
          cooldownMs > 0 && (await this.modelAlerts.notifiedWithin(tx, row.condition_key, new Date(row.created_at.getTime() - cooldownMs), row.created_at));
        const outcome = cooling ? 'cooldown' : 'notified';
        decided[i] = (await this.modelAlerts.insert(tx, row, outcome)) ? outcome : 'duplicate';
        known.add(alert.alert_id);
        if (decided[i] === 'notified') {
          for (const channel of channels) {
            queued.push({
              idempotency_key: `${channel}:${alert.alert_id}`,
              channel,
              kind: 'model_alert',
              alert_id: null,
              model_alert_id: alert.alert_id,
              level: null,
              status: 'pending',
            });
          }
        }
      }
      await this.notifications.enqueue(tx, queued);
      return decided;
    });
    alerts.forEach((alert, i) => {
      const outcome = outcomes[i]!;
      this.received.inc({ kind: alert.kind, outcome });
      const ids = { model_alert_id: alert.alert_id, model_version: alert.model_version, kind: alert.kind, subject: alert.subject, outcome };
      if (outcome === 'notified') this.logger.info({ ...ids, channels }, 'model alert queued for the operators');
      else
        this.logger.debug(
          ids,
          outcome === 'cooldown' ? 'model alert within the cool-down of the same condition: recorded, not sent' : 'model alert already received',
        );
    });
    return outcomes;
  }
}
