import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { describeZodError, invoicePaidPayload, paymentFailedPayload, supportTicketOpenedPayload, usageReportedPayload, zonedTimestamp } from '@churn/contracts';
import { loadFeatureSpec, type FeatureSpec } from '@churn/feature-spec';
import { generateSaasBusiness } from './saas-business';
import { SaasEventTypes, type SaasEvent } from './saas-event';
import { SAAS_ATTRIBUTES_SPEC_PATH, SAAS_SPEC_PATH } from './saas-spec-paths';

/**
 * Envelope schema version 2 as the shared decisions state it, written here until the contracts library
 * has its own: the fixed types carry the v1 payloads; sign-up and subscription changes a flat object of
 * the spec's set_by fields (any subset; closed categoricals within their categories, numbers finite,
 * open-ended categoricals any non-empty string); any other type only when the spec names it, with a flat
 * payload of scalars.
 */
function v2Checker(spec: FeatureSpec) {
  const envelope = z.strictObject({
    event_id: z.string().min(1).max(200),
    event_type: z.string(),
    customer_id: z.string().min(1).max(200),
    occurred_at: zonedTimestamp,
    schema_version: z.literal(2),
    payload: z.record(z.string(), z.union([z.string(), z.number().finite(), z.boolean()])),
  });
  const fixed: Record<string, z.ZodType> = {
    [SaasEventTypes.invoicePaid]: invoicePaidPayload.strict(),
    [SaasEventTypes.paymentFailed]: paymentFailedPayload.strict(),
    [SaasEventTypes.supportTicketOpened]: supportTicketOpenedPayload.strict(),
    [SaasEventTypes.usageReported]: usageReportedPayload.strict(),
    [SaasEventTypes.subscriptionCancelled]: z.strictObject({ reason: z.string().optional() }),
  };
  const named = new Set([...spec.derived.map((d) => d.event_type), ...spec.aggregates.map((a) => a.event_type)]);
  return (event: unknown): string | undefined => {
    const parsed = envelope.safeParse(event);
    if (!parsed.success) return describeZodError(parsed.error);
    const { event_type: type, payload } = parsed.data;
    const fixedPayload = fixed[type];
    if (fixedPayload) {
      const checked = fixedPayload.safeParse(payload);
      return checked.success ? undefined : `payload: ${describeZodError(checked.error)}`;
    }
    const attributes = spec.attributes.filter((a) => a.set_by.event_type === type);
    if (type === SaasEventTypes.signedUp || type === SaasEventTypes.subscriptionChanged) {
      for (const [field, value] of Object.entries(payload)) {
        const attribute = attributes.find((a) => a.set_by.field === field);
        if (!attribute) return `payload.${field}: unknown field`;
        if (attribute.type === 'numeric' && typeof value !== 'number') return `payload.${field}: must be a number`;
        if (attribute.type === 'categorical' && (typeof value !== 'string' || value === '')) return `payload.${field}: must be a non-empty string`;
        if (attribute.type === 'categorical' && attribute.categories && !attribute.categories.includes(value as string)) return `payload.${field}: "${String(value)}" is not a category`;
      }
      return Object.keys(payload).length > 0 ? undefined : 'payload: empty';
    }
    return named.has(type) || attributes.length > 0 ? undefined : 'unknown event_type';
  };
}

describe('the events are envelope version 2 of the shared decisions', () => {
  const events: SaasEvent[] = generateSaasBusiness({ customers: 150, seed: 4 }).customers.flatMap((c) => [...c.events]);

  it('validates every event against specs/saas.yaml', () => {
    const check = v2Checker(loadFeatureSpec(SAAS_SPEC_PATH));
    for (const event of events) assert.equal(check(event), undefined, event.event_id);
    assert.deepEqual(new Set(events.map((e) => e.event_type)), new Set(Object.values(SaasEventTypes)));
  });

  it('sends partial subscription changes: later changes carry only what changed', () => {
    const changes = events.filter((e) => e.event_type === SaasEventTypes.subscriptionChanged && !e.event_id.endsWith(':subscription-00001'));
    assert.ok(changes.length > 20);
    assert.ok(changes.every((e) => Object.keys(e.payload).length < 4));
  });

  it('sends logins the attributes-only spec does not name: a stream under that spec would dead-letter them', () => {
    const check = v2Checker(loadFeatureSpec(SAAS_ATTRIBUTES_SPEC_PATH));
    const login = events.find((e) => e.event_type === SaasEventTypes.userLoggedIn)!;
    assert.equal(check(login), 'unknown event_type');
  });

  it('catches what the shared decisions refuse', () => {
    const check = v2Checker(loadFeatureSpec(SAAS_SPEC_PATH));
    const change = events.find((e) => e.event_type === SaasEventTypes.subscriptionChanged)!;
    assert.match(check({ ...change, payload: { plan: 'platinum' } })!, /payload\.plan/);
    assert.match(check({ ...change, payload: { seats: '3' } })!, /payload\.seats/);
    assert.match(check({ ...change, payload: { colour: 'blue' } })!, /payload\.colour: unknown field/);
    assert.match(check({ ...change, schema_version: 1 })!, /schema_version/);
  });
});
