import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { customerEventSchema, describeZodError } from '@churn/contracts';
import { describePayloadIssues, loadFeatureSpec, payloadIssues, type FeatureSpec } from '@churn/feature-spec';
import { generateSaasBusiness } from './saas-business';
import { SaasEventTypes, type SaasEvent } from './saas-event';
import { SAAS_ATTRIBUTES_SPEC_PATH, SAAS_SPEC_PATH } from './saas-spec-paths';

/** Why ingest would dead-letter the event under the spec (the contract's schema, then the spec's checks), or undefined. */
function refusal(spec: FeatureSpec, event: unknown): string | undefined {
  const parsed = customerEventSchema.safeParse(event);
  if (!parsed.success) return describeZodError(parsed.error);
  const issues = payloadIssues(spec, parsed.data);
  return issues.length > 0 ? describePayloadIssues(issues) : undefined;
}

describe('the events are schema version 2 events that ingest accepts', () => {
  const events: SaasEvent[] = generateSaasBusiness({ customers: 150, seed: 4 }).customers.flatMap((c) => [...c.events]);
  const spec = loadFeatureSpec(SAAS_SPEC_PATH);

  it('passes the contract and specs/saas.yaml, every event of every type', () => {
    for (const event of events) assert.equal(refusal(spec, event), undefined, event.event_id);
    assert.deepEqual(new Set(events.map((e) => e.event_type)), new Set(Object.values(SaasEventTypes)));
  });

  it('sends partial subscription changes: later changes carry only what changed', () => {
    const changes = events.filter((e) => e.event_type === SaasEventTypes.subscriptionChanged && !e.event_id.endsWith(':subscription-00001'));
    assert.ok(changes.length > 20);
    assert.ok(changes.every((e) => Object.keys(e.payload).length < 4));
  });

  it('sends logins the attributes-only spec does not name: a stream under that spec dead-letters them', () => {
    const attributesOnly = loadFeatureSpec(SAAS_ATTRIBUTES_SPEC_PATH);
    const login = events.find((e) => e.event_type === SaasEventTypes.userLoggedIn)!;
    assert.match(refusal(attributesOnly, login)!, /user\.logged_in/);
    const others = events.filter((e) => e.event_type !== SaasEventTypes.userLoggedIn);
    for (const event of others) assert.equal(refusal(attributesOnly, event), undefined, event.event_id);
  });

  it('would catch an event the generator got wrong', () => {
    const change = events.find((e) => e.event_type === SaasEventTypes.subscriptionChanged)!;
    assert.match(refusal(spec, { ...change, payload: { plan: 'platinum' } })!, /payload\.plan/);
    assert.match(refusal(spec, { ...change, payload: { seats: '3' } })!, /payload\.seats/);
    assert.match(refusal(spec, { ...change, schema_version: 3 })!, /schema_version/);
  });
});
