import { randomUUID } from 'node:crypto';
import { riskLevelOf, riskScoreOf, type CustomerEvent, type CustomerEventV1, type FlatPayload, type Prediction } from '@churn/contracts';

type V1Payload<T extends CustomerEventV1['event_type']> = Extract<CustomerEventV1, { event_type: T }>['payload'];

/** Valid events with sensible Telco values; a test overrides only what it is about. */
export const anEvent = {
  signedUp(customerId: string, occurredAt: string, payload: Partial<V1Payload<'customer.signed_up'>> = {}): CustomerEvent {
    return {
      event_id: randomUUID(),
      event_type: 'customer.signed_up',
      customer_id: customerId,
      occurred_at: occurredAt,
      schema_version: 1,
      payload: { gender: 'Female', senior_citizen: false, partner: true, dependents: false, ...payload },
    };
  },
  subscriptionChanged(
    customerId: string,
    occurredAt: string,
    payload: Partial<V1Payload<'subscription.changed'>> = {},
  ): CustomerEvent {
    return {
      event_id: randomUUID(),
      event_type: 'subscription.changed',
      customer_id: customerId,
      occurred_at: occurredAt,
      schema_version: 1,
      payload: {
        contract: 'Month-to-month',
        phone_service: true,
        multiple_lines: 'No',
        internet_service: 'Fiber optic',
        online_security: 'No',
        online_backup: 'No',
        device_protection: 'No',
        tech_support: 'No',
        streaming_tv: 'Yes',
        streaming_movies: 'No',
        paperless_billing: true,
        payment_method: 'Electronic check',
        monthly_charges: 80.5,
        ...payload,
      },
    };
  },
  invoicePaid(customerId: string, occurredAt: string, amount: number): CustomerEvent {
    return {
      event_id: randomUUID(),
      event_type: 'invoice.paid',
      customer_id: customerId,
      occurred_at: occurredAt,
      schema_version: 1,
      payload: { invoice_id: randomUUID(), amount, period_start: occurredAt.slice(0, 10), period_end: occurredAt.slice(0, 10) },
    };
  },
  subscriptionCancelled(customerId: string, occurredAt: string, reason?: string): CustomerEvent {
    return subscriptionStatus('subscription.cancelled', customerId, occurredAt, reason);
  },
  subscriptionReactivated(customerId: string, occurredAt: string, reason?: string): CustomerEvent {
    return subscriptionStatus('subscription.reactivated', customerId, occurredAt, reason);
  },
  /** A schema version 2 event with a flat payload: sign-up, subscription change or a type of the business's own. */
  v2(eventType: string, customerId: string, occurredAt: string, payload: FlatPayload): CustomerEvent {
    return { event_id: randomUUID(), event_type: eventType, customer_id: customerId, occurred_at: occurredAt, schema_version: 2, payload };
  },
};

function subscriptionStatus(eventType: 'subscription.cancelled' | 'subscription.reactivated', customerId: string, occurredAt: string, reason?: string): CustomerEvent {
  return { event_id: randomUUID(), event_type: eventType, customer_id: customerId, occurred_at: occurredAt, schema_version: 1, payload: reason === undefined ? {} : { reason } };
}

export function asKafkaMessage(event: CustomerEvent): { key: string; value: string } {
  return { key: event.customer_id, value: JSON.stringify(event) };
}

/** What `aPrediction` takes besides a Prediction's own fields: the probability its score and level follow from. */
export interface PredictionOptions extends Partial<Prediction> {
  /** Churn probability; risk_score and risk_level are derived from it unless given (default 0.7: a high risk). */
  readonly probability?: number;
  /** Model-time of the features (default now); `as_of` and `scored_at` follow unless given. */
  readonly at?: Date | number;
}

/**
 * A valid prediction as the scorer publishes it (champion, no experiment, one driver); a spec overrides
 * only what it is about. The prediction id is a full UUID: consumers de-duplicate by it, and a short id
 * collides in large specs.
 */
export function aPrediction(customerId: string, options: PredictionOptions = {}): Prediction {
  const { probability = 0.7, at, ...overrides } = options;
  const riskScore = overrides.risk_score ?? riskScoreOf(probability);
  const time = new Date(at ?? Date.now()).toISOString();
  return {
    prediction_id: `P-${randomUUID()}`,
    customer_id: customerId,
    model_version: 'spec-model',
    churn_probability: probability,
    risk_score: riskScore,
    risk_level: riskLevelOf(riskScore),
    recommended_action: 'Call the customer',
    intervention_cost: 150,
    revenue_at_risk: 960,
    top_factors: [{ feature: 'contract', value: 'Month-to-month', contribution: 0.21 }],
    experiment: null,
    source_event_id: `E-${randomUUID()}`,
    as_of: time,
    scored_at: time,
    ...overrides,
  };
}
