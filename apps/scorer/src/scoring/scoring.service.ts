import { Inject, Injectable } from '@nestjs/common';
import { riskLevelOf, riskScoreOf, Topics, type CustomerFeaturesMessage, type Prediction } from '@churn/contracts';
import { Database, PredictionRepository } from '@churn/db';
import { TopicProducer, type ConsumedMessage } from '@churn/kafka';
import { getOrCreateCounter, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '@churn/service-kit';
import type { ScorerConfig } from '../config';
import { PlaceholderRiskModel } from './placeholder-risk-model';
import { predictionIdOf } from './prediction-id';
import { DEFAULT_ACTIONS } from './retention-strategy';

/**
 * Scores a batch of feature messages, stores each prediction with the feature vector it used, and
 * publishes the new ones before the transaction commits (a crash re-delivers; the deterministic
 * prediction id makes the second attempt a no-op in the table and a duplicate key downstream).
 */
@Injectable()
export class ScoringService {
  private readonly predictions = new PredictionRepository();
  private readonly model = new PlaceholderRiskModel();
  private readonly logger: Logger;
  private readonly scored;

  constructor(
    private readonly database: Database,
    private readonly producer: TopicProducer,
    @Inject(SERVICE_CONFIG) private readonly config: ScorerConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: ScoringService.name });
    this.scored = getOrCreateCounter(registry, {
      name: 'scorer_predictions_total',
      help: 'Predictions by model version, risk level and result (new, duplicate).',
      labelNames: ['model_version', 'risk_level', 'result'] as const,
    });
  }

  async score(messages: readonly ConsumedMessage<CustomerFeaturesMessage>[]): Promise<Prediction[]> {
    const scoredAt = new Date().toISOString();
    const rows = messages.map(({ value }) => {
      const probability = this.model.probability(value.features);
      const riskScore = riskScoreOf(probability);
      const level = riskLevelOf(riskScore);
      const action = DEFAULT_ACTIONS[level];
      const prediction: Prediction = {
        prediction_id: predictionIdOf(value.source_event_id, PlaceholderRiskModel.version, 'champion'),
        customer_id: value.customer_id,
        model_version: PlaceholderRiskModel.version,
        churn_probability: probability,
        risk_score: riskScore,
        risk_level: level,
        recommended_action: action.action,
        intervention_cost: action.cost,
        revenue_at_risk: Math.round(value.features.MonthlyCharges * this.config.REVENUE_AT_RISK_MONTHS * 100) / 100,
        top_factors: [],
        experiment: null,
        source_event_id: value.source_event_id,
        as_of: value.as_of,
        scored_at: scoredAt,
        placeholder: true,
      };
      return { prediction, role: 'champion' as const, features: value.features };
    });
    return this.database.transaction(async (tx) => {
      const fresh = await this.predictions.insertNew(tx, rows);
      const published = rows.map((r) => r.prediction).filter((p) => fresh.has(p.prediction_id));
      await this.producer.send(
        Topics.predictions,
        published.map((value) => ({ key: value.customer_id, value })),
      );
      for (const { prediction } of rows) {
        const result = fresh.has(prediction.prediction_id) ? 'new' : 'duplicate';
        this.scored.inc({ model_version: prediction.model_version, risk_level: prediction.risk_level, result });
        this.logger.debug({ customer_id: prediction.customer_id, prediction_id: prediction.prediction_id, result }, 'scored');
      }
      return published;
    });
  }
}
