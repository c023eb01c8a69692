import { riskLevelOf, riskScoreOf, type Prediction } from '@churn/contracts';
import { uniqueId } from './test-env';
import { rawProducer } from './topic-probe';

/** A champion prediction of `modelVersion` for a customer, as of `asOf` (ms), scored now; no action recommended unless overridden. */
export function aPrediction(customerId: string, modelVersion: string, probability: number, asOf: number, overrides: Partial<Prediction> = {}): Prediction {
  const riskScore = riskScoreOf(probability);
  return {
    prediction_id: uniqueId('p'),
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

/** Publishes JSON values keyed by customer, in batches of 1,000. */
export async function publishByCustomer(topic: string, values: readonly { customer_id: string }[]): Promise<void> {
  const producer = await rawProducer();
  for (let i = 0; i < values.length; i += 1000) {
    await producer.send({ topic, messages: values.slice(i, i + 1000).map((v) => ({ key: v.customer_id, value: JSON.stringify(v) })) });
  }
  await producer.close();
}
