import { randomUUID } from 'node:crypto';
import type { CustomerEvent, CustomerEventV1, FlatPayload } from '@churn/contracts';

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
  subscriptionChanged(customerId: string, occurredAt: string, payload: Partial<V1Payload<'subscription.changed'>> = {}): CustomerEvent {
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

function subscriptionStatus(
  eventType: 'subscription.cancelled' | 'subscription.reactivated',
  customerId: string,
  occurredAt: string,
  reason?: string,
): CustomerEvent {
  return {
    event_id: randomUUID(),
    event_type: eventType,
    customer_id: customerId,
    occurred_at: occurredAt,
    schema_version: 1,
    payload: reason === undefined ? {} : { reason },
  };
}

export function asKafkaMessage(event: CustomerEvent): { key: string; value: string } {
  return { key: event.customer_id, value: JSON.stringify(event) };
}
