import { Inject, Injectable } from '@nestjs/common';
import { messageVector, type AlertNotification, type AlertUpdate, type CrmActivity, type CustomerFeaturesMessage, type Prediction } from '@churn/contracts';
import { type Queryable } from '@churn/db';
import { MonitoringCustomerActivityRepository, MonitoringCustomersRepository, type CustomerVector } from '@churn/monitoring-data';
import { getOrCreateCounter, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '@churn/service-kit';
import type { MonitoringConfig } from '../config';
import { CustomerSpecView } from './customer-spec-view';

export type ReadModelSource = 'predictions' | 'features' | 'alert_updates' | 'notifications' | 'crm_activity';

/**
 * Keeps monitoring's customer read model (one row per customer) up to date from the messages monitoring
 * consumes, inside the caller's transaction: champion predictions, feature vectors, alert updates, and
 * what alerting (notifications) and crm-sync (CRM activity) did for the customer.
 * Each write moves a part of the row forward only (libs/db MonitoringCustomersRepository), so a
 * redelivered batch changes nothing.
 */
@Injectable()
export class CustomerReadModel {
  private readonly repository = new MonitoringCustomersRepository();
  private readonly activity = new MonitoringCustomerActivityRepository();
  readonly spec: CustomerSpecView;
  private readonly updates;
  private readonly logger: Logger;

  constructor(@Inject(SERVICE_CONFIG) config: MonitoringConfig, @Inject(METRICS_REGISTRY) registry: Registry, @Inject(LOGGER) logger: Logger) {
    this.spec = new CustomerSpecView(config.FEATURE_SPEC_FILE);
    this.updates = getOrCreateCounter(registry, {
      name: 'monitoring_customer_read_model_messages_total',
      help: "Messages applied to the customer read model, by source topic and result (changed: the customer's row moved forward; unchanged: a redelivered or older message).",
      labelNames: ['source', 'result'] as const,
    });
    this.logger = logger.child({ context: CustomerReadModel.name });
  }

  async applyPredictions(tx: Queryable, predictions: readonly Prediction[]): Promise<void> {
    this.count('predictions', predictions.length, await this.repository.applyPredictions(tx, predictions));
  }

  async applyVectors(tx: Queryable, messages: readonly CustomerFeaturesMessage[]): Promise<void> {
    const vectors = messages.map((message): CustomerVector => {
      const vector = messageVector(message);
      return {
        customer_id: message.customer_id,
        spec_hash: this.spec.vectorHash(vector.specHash),
        features: vector.features,
        as_of: message.as_of,
        source_event_id: message.source_event_id,
        attributes: this.spec.attributesOf(vector.features),
        search_text: this.spec.searchText(vector.features),
      };
    });
    this.count('features', vectors.length, await this.repository.applyVectors(tx, vectors));
  }

  async applyAlertUpdates(tx: Queryable, updates: readonly AlertUpdate[]): Promise<void> {
    const fresh = await this.repository.applyAlertUpdates(tx, updates);
    this.count('alert_updates', updates.length, fresh);
    if (fresh > 0)
      this.logger.debug(
        { updates: updates.length, fresh, alerts: [...new Set(updates.map((u) => u.alert_id))].length },
        'alert updates applied to the customer read model',
      );
  }

  async applyNotifications(tx: Queryable, facts: readonly AlertNotification[]): Promise<void> {
    const fresh = await this.activity.applyNotifications(tx, facts);
    this.count('notifications', facts.length, fresh);
    if (fresh > 0)
      this.logger.debug(
        { facts: facts.length, fresh, customers: new Set(facts.map((f) => f.customer_id)).size },
        'notification facts applied to the customer read model',
      );
  }

  async applyCrmActivity(tx: Queryable, activities: readonly CrmActivity[]): Promise<void> {
    const fresh = await this.activity.applyCrmActivity(tx, activities);
    this.count('crm_activity', activities.length, fresh);
    if (fresh > 0)
      this.logger.debug(
        { activities: activities.length, fresh, customers: new Set(activities.map((a) => a.customer_id)).size },
        'CRM activity applied to the customer read model',
      );
  }

  private count(source: ReadModelSource, received: number, changed: number): void {
    this.updates.inc({ source, result: 'changed' }, changed);
    this.updates.inc({ source, result: 'unchanged' }, Math.max(0, received - changed));
  }
}
