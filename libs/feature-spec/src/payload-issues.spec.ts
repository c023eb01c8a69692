import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CustomerEvent, FlatPayload } from '@churn/contracts';
import { loadFeatureSpec, parseFeatureSpec } from './load-feature-spec';
import { describePayloadIssues, payloadIssues } from './payload-issues';
import { TELCO_SPEC_PATH } from './telco-spec';

const SAAS = parseFeatureSpec(`version: 1
customer_id: { column: account_id }
attributes:
  - { name: plan, type: categorical, categories: [basic, pro, enterprise], set_by: { event_type: subscription.changed, field: plan } }
  - { name: seats, type: numeric, set_by: { event_type: subscription.changed, field: seats } }
  - { name: annual, type: boolean, set_by: { event_type: subscription.changed, field: annual } }
  - { name: region, type: categorical, max_categories: 5, set_by: { event_type: customer.signed_up, field: region } }
  - { name: industry, type: categorical, max_categories: 5, optional: true, set_by: { event_type: account.profiled, field: industry } }
  - { name: last_ticket_category, type: categorical, categories: [billing, bug], optional: true, set_by: { event_type: support.ticket_opened, field: category } }
derived:
  - { name: tenure, kind: months_since_first, event_type: customer.signed_up }
  - { name: exports, kind: lifetime_count, event_type: report.exported }
  - { name: credits, kind: lifetime_sum, event_type: credit.granted, field: amount }
aggregates:
  - { name: logins_30d, kind: count, event_type: user.logged_in, window_days: 30 }
  - { name: mobile_logins_30d, kind: count, event_type: user.logged_in, window_days: 30, filter: { field: device, op: in, value: [ios, android] } }
  - { name: long_sessions_30d, kind: count, event_type: session.ended, window_days: 30, filter: { field: minutes, op: gte, value: 30 } }
  - { name: api_calls_trend, kind: trend, measure: sum, event_type: api.used, field: calls, window_days: 30 }
`);

let sequence = 0;
function v2(eventType: string, payload: FlatPayload): CustomerEvent {
  return { event_id: `e-${++sequence}`, customer_id: 'A-1', occurred_at: '2025-01-01T00:00:00Z', schema_version: 2, event_type: eventType, payload };
}
const issues = (eventType: string, payload: FlatPayload) => payloadIssues(SAAS, v2(eventType, payload));
const pathsOf = (eventType: string, payload: FlatPayload) => issues(eventType, payload).map((issue) => issue.path);

describe('payloadIssues: sign-up and subscription change', () => {
  it('accepts any subset of the attributes the event sets', () => {
    assert.deepEqual(issues('subscription.changed', { plan: 'pro', seats: 12, annual: false }), []);
    assert.deepEqual(issues('subscription.changed', { seats: 14 }), []);
    assert.deepEqual(issues('subscription.changed', {}), []);
    assert.deepEqual(issues('customer.signed_up', { region: 'anything at all' }), []);
  });

  it('names a field no attribute of the event reads, and what the spec reads instead', () => {
    const [issue, ...rest] = issues('subscription.changed', { plan: 'pro', seat_count: 12 });
    assert.deepEqual(rest, []);
    assert.equal(issue?.path, 'payload.seat_count');
    assert.match(issue!.message, /^unknown field: the feature spec reads plan, seats, annual from subscription\.changed$/);
    assert.deepEqual(pathsOf('customer.signed_up', { plan: 'pro' }), ['payload.plan'], 'plan is set by subscription.changed, not by sign-up');
  });

  it('refuses a closed categorical value outside its categories, naming the field and the categories', () => {
    const [issue] = issues('subscription.changed', { plan: 'gold' });
    assert.equal(issue?.path, 'payload.plan');
    assert.equal(issue?.message, '"gold" is not a category of attribute plan (basic, pro, enterprise)');
  });

  it('refuses a value of the wrong type for each attribute type', () => {
    assert.match(
      describePayloadIssues(issues('subscription.changed', { seats: '12' })),
      /^payload\.seats: must be a number \(attribute seats reads it\), not "12"$/,
    );
    assert.match(describePayloadIssues(issues('subscription.changed', { annual: 'yes' })), /^payload\.annual: must be true or false/);
    assert.match(describePayloadIssues(issues('subscription.changed', { plan: 3 })), /^payload\.plan: must be a string/);
    assert.match(
      describePayloadIssues(issues('customer.signed_up', { region: '' })),
      /^payload\.region: must not be empty \(attribute region is categorical\)$/,
    );
    assert.match(describePayloadIssues(issues('customer.signed_up', { region: true })), /^payload\.region: must be a string/);
  });

  it('reports every issue of one event', () => {
    assert.deepEqual(pathsOf('subscription.changed', { plan: 'gold', seats: '3', annual: true, colour: 'red' }), [
      'payload.colour',
      'payload.plan',
      'payload.seats',
    ]);
  });

  it('keeps the reason a line: long values cut, the first 20 issues then how many more', () => {
    assert.equal(
      describePayloadIssues(issues('subscription.changed', { plan: 'x'.repeat(1000) })),
      `payload.plan: "${'x'.repeat(60)}"… is not a category of attribute plan (basic, pro, enterprise)`,
    );
    const many = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`extra_${i}`, i]));
    assert.equal(issues('subscription.changed', many).length, 25);
    assert.match(describePayloadIssues(issues('subscription.changed', many)), /^payload\.extra_0: unknown field: [^]*payload\.extra_19: [^;]*; and 5 more$/);
  });
});

describe('payloadIssues: event types of the business', () => {
  it('accepts a type the spec names, with the fields it reads and any others', () => {
    assert.deepEqual(issues('user.logged_in', { device: 'web', ip: '10.0.0.1' }), []);
    assert.deepEqual(issues('report.exported', { format: 'csv' }), [], 'named by a derived feature');
    assert.deepEqual(issues('account.profiled', { industry: 'retail' }), [], 'named as an attribute source');
    assert.deepEqual(issues('api.used', { calls: 120 }), []);
  });

  it('refuses a type the spec does not name', () => {
    assert.deepEqual(issues('user.logged_out', {}), [{ path: 'event_type', message: 'unknown event_type: the feature spec names no user.logged_out events' }]);
  });

  it('requires every field the spec reads, naming who reads it', () => {
    assert.deepEqual(issues('api.used', {}), [{ path: 'payload.calls', message: 'is required: aggregate api_calls_trend reads it' }]);
    assert.deepEqual(pathsOf('credit.granted', { reason: 'outage' }), ['payload.amount']);
    assert.deepEqual(pathsOf('account.profiled', {}), ['payload.industry']);
    assert.deepEqual(pathsOf('user.logged_in', { ip: '10.0.0.1' }), ['payload.device'], "mobile_logins_30d's filter reads device");
  });

  it('requires numbers where the spec adds up, averages or compares', () => {
    assert.match(describePayloadIssues(issues('api.used', { calls: '120' })), /^payload\.calls: must be a number \(aggregate api_calls_trend reads it\)/);
    assert.match(describePayloadIssues(issues('credit.granted', { amount: true })), /^payload\.amount: must be a number \(derived credits reads it\)/);
    assert.match(
      describePayloadIssues(issues('session.ended', { minutes: 'long' })),
      /^payload\.minutes: must be a number \(aggregate long_sessions_30d's filter reads it\)/,
    );
  });

  it('requires a filtered field to hold the type of the values it is compared with', () => {
    assert.deepEqual(issues('user.logged_in', { device: 'toaster' }), [], 'another string only fails the filter');
    assert.match(
      describePayloadIssues(issues('user.logged_in', { device: 1 })),
      /^payload\.device: must be a string \(aggregate mobile_logins_30d's filter reads it\), not 1$/,
    );
  });
});

describe('payloadIssues: the contract’s own payloads', () => {
  const ticket = (category: string): FlatPayload => ({ ticket_id: 't-1', category, severity: 'high' });

  it('checks a version 2 event against the categories of the attributes it sets', () => {
    assert.deepEqual(issues('support.ticket_opened', ticket('bug')), []);
    assert.deepEqual(pathsOf('support.ticket_opened', ticket('feature request')), ['payload.category']);
  });

  it('lets a type the spec does not name through: the contract knows it', () => {
    assert.deepEqual(issues('payment.failed', { invoice_id: 'i', amount: 3, reason: 'card' }), []);
    assert.deepEqual(issues('subscription.cancelled', {}), []);
  });

  it('leaves version 1 events to the contract', () => {
    const v1: CustomerEvent = {
      ...v2('x.y', {}),
      schema_version: 1,
      event_type: 'support.ticket_opened',
      payload: { ticket_id: 't-1', category: 'feature request', severity: 'high' },
    };
    assert.deepEqual(payloadIssues(SAAS, v1), []);
  });
});

describe('payloadIssues with the Telco spec', () => {
  const telco = loadFeatureSpec(TELCO_SPEC_PATH);
  const profile = { gender: 'Female', senior_citizen: false, partner: true, dependents: false };

  it('accepts the Telco attributes as a version 2 sign-up, whole or in part', () => {
    assert.deepEqual(payloadIssues(telco, v2('customer.signed_up', profile)), []);
    assert.deepEqual(payloadIssues(telco, v2('subscription.changed', { contract: 'Two year', monthly_charges: 80.5 })), []);
  });

  it('refuses a category the Telco model does not know', () => {
    assert.equal(
      describePayloadIssues(payloadIssues(telco, v2('customer.signed_up', { ...profile, gender: 'Other' }))),
      'payload.gender: "Other" is not a category of attribute gender (Female, Male)',
    );
    assert.deepEqual(
      payloadIssues(telco, v2('subscription.changed', { Contract: 'Two year' })).map((i) => i.path),
      ['payload.Contract'],
      'fields are spelled as set_by.field, not as the feature',
    );
  });
});
