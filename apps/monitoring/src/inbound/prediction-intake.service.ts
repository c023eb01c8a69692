import { Inject, Injectable } from '@nestjs/common';
import type { Prediction, PredictionRole } from '@churn/contracts';
import { Database } from '@churn/db';
import { MonitoringRepository } from '@churn/monitoring-data';
import { getOrCreateCounter, getOrCreateGauge, type Registry } from '@churn/observability';
import { METRICS_REGISTRY } from '@churn/service-kit';
import { CustomerReadModel } from '../customers/customer-read-model.service';

/**
 * Stores consumed predictions once each (keyed by prediction_id) and counts them; champion predictions
 * also move the customer read model forward, in the same transaction.
 */
@Injectable()
export class PredictionIntake {
  private readonly repository = new MonitoringRepository();
  private readonly received;
  private readonly lastScoredAt;

  constructor(
    private readonly database: Database,
    private readonly readModel: CustomerReadModel,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.received = getOrCreateCounter(registry, {
      name: 'monitoring_predictions_total',
      help: 'Predictions consumed, by role (champion, shadow) and result (new, duplicate).',
      labelNames: ['role', 'result'] as const,
    });
    this.lastScoredAt = getOrCreateGauge(registry, {
      name: 'monitoring_last_prediction_timestamp_seconds',
      help: 'Scoring time of the newest prediction seen, by model version and role.',
      labelNames: ['model_version', 'role'] as const,
    });
  }

  async store(role: PredictionRole, predictions: readonly Prediction[]): Promise<void> {
    const fresh = await this.database.transaction(async (tx) => {
      const inserted = await this.repository.insertPredictions(tx, role, predictions);
      if (role === 'champion') await this.readModel.applyPredictions(tx, predictions);
      return inserted;
    });
    this.received.inc({ role, result: 'new' }, fresh);
    this.received.inc({ role, result: 'duplicate' }, predictions.length - fresh);
    const newest = new Map<string, number>();
    for (const p of predictions) newest.set(p.model_version, Math.max(newest.get(p.model_version) ?? 0, Date.parse(p.scored_at) / 1000));
    for (const [version, at] of newest) this.lastScoredAt.set({ model_version: version, role }, at);
  }
}
