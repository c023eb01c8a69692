import { randomUUID } from 'node:crypto';
import { riskLevelOf, riskScoreOf, type Prediction, type RiskLevel } from '@churn/contracts';
import { uniqueId } from './test-env';
import { rawProducer } from './topic-probe';

/** A champion prediction of `modelVersion` for a customer, as of `asOf` (ms), scored now; no action recommended unless overridden. */
export function aPrediction(customerId: string, modelVersion: string, probability: number, asOf: number, overrides: Partial<Prediction> = {}): Prediction {
  const riskScore = riskScoreOf(probability);
  return {
    // A full UUID: services de-duplicate by prediction id, and 10,000+ ids of uniqueId's 32 bits would
    // collide in about 1 % of runs — a prediction judged already seen, exactly like a lost one.
    prediction_id: `p-${randomUUID()}`,
    customer_id: customerId,
    model_version: modelVersion,
    churn_probability: probability,
    risk_score: riskScore,
    risk_level: riskLevelOf(riskScore),
    recommended_action: 'none',
    intervention_cost: 0,
    revenue_at_risk: 1200,
    top_factors: [],
    experiment: null,
    source_event_id: uniqueId('e'),
    as_of: new Date(asOf).toISOString(),
    scored_at: new Date().toISOString(),
    ...overrides,
  };
}

/** A score inside each risk level under the default thresholds, for specs about levels rather than scores. */
export const SCORE_AT_LEVEL: Readonly<Record<RiskLevel, number>> = { critical: 90, high: 70, medium: 50, low: 10 };

/**
 * A prediction at `level` as alerting receives it, scored now by `spec-model`: the level's score, an
 * action to recommend with its cost, the revenue at risk and a top factor (what an alert shows).
 */
export function aPredictionAtLevel(customerId: string, level: RiskLevel, overrides: Partial<Prediction> = {}): Prediction {
  return aPrediction(customerId, 'spec-model', SCORE_AT_LEVEL[level] / 100, Date.now(), {
    recommended_action: 'Call the customer',
    intervention_cost: 150,
    revenue_at_risk: 960,
    top_factors: [{ feature: 'Contract', value: 'Month-to-month', contribution: 0.21 }],
    ...overrides,
  });
}

/** Publishes JSON values keyed by customer, in batches of 1,000. */
export async function publishByCustomer(topic: string, values: readonly { customer_id: string }[]): Promise<void> {
  const producer = await rawProducer();
  for (let i = 0; i < values.length; i += 1000) {
    await producer.send({ topic, messages: values.slice(i, i + 1000).map((v) => ({ key: v.customer_id, value: JSON.stringify(v) })) });
  }
  await producer.close();
}
