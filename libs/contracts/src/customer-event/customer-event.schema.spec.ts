import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeParse } from '../common/parse-result';
import { customerEventSchema, hasKnownEventType, type CustomerEvent } from './customer-event.schema';

const valid = {
  event_id: 'e-1',
  event_type: 'invoice.paid',
  customer_id: 'C-1',
  occurred_at: '2024-03-01T10:00:00+01:00',
  schema_version: 1,
  payload: { invoice_id: 'i-1', amount: 42.5, period_start: '2024-02-01', period_end: '2024-02-29' },
};

const v2 = (event_type: string, payload: unknown) => ({ ...valid, schema_version: 2, event_type, payload });

const parse = (value: unknown) => safeParse(customerEventSchema, value);
const accepted = (value: unknown): CustomerEvent => {
  const result = parse(value);
  assert.ok(result.ok, `expected the event to be accepted: ${result.ok ? '' : result.reason}`);
  return result.value;
};
const reasonOf = (value: unknown) => {
  const result = parse(value);
  assert.equal(result.ok, false, 'expected the event to be refused');
  return result.ok ? '' : result.reason;
};

describe('customerEventSchema, schema version 1', () => {
  it('accepts a valid invoice.paid event and keeps its payload typed', () => {
    const event = accepted(valid);
    if (event.event_type === 'invoice.paid') assert.equal(event.payload.amount, 42.5);
    else assert.fail('narrowed to invoice.paid');
  });

  it('names a missing field', () => {
    const { customer_id: _omitted, ...rest } = valid;
    assert.match(reasonOf(rest), /customer_id/);
  });

  it('names a field of the wrong type', () => {
    assert.match(reasonOf({ ...valid, payload: { ...valid.payload, amount: '42.5' } }), /payload\.amount/);
  });

  it('refuses a negative amount', () => {
    assert.match(reasonOf({ ...valid, payload: { ...valid.payload, amount: -1 } }), /payload\.amount: must not be negative/);
  });

  it('refuses an event type outside the contract', () => {
    assert.match(reasonOf({ ...valid, event_type: 'customer.teleported' }), /event_type: unknown event_type/);
  });

  it('refuses a time without zone and an unparseable time', () => {
    assert.match(reasonOf({ ...valid, occurred_at: '2024-03-01T10:00:00' }), /occurred_at/);
    assert.match(reasonOf({ ...valid, occurred_at: 'yesterday' }), /occurred_at/);
  });

  it('refuses an unsupported or missing schema version', () => {
    assert.match(reasonOf({ ...valid, schema_version: 3 }), /^schema_version: unsupported schema_version \(supported: 1, 2\)$/);
    assert.match(reasonOf({ ...valid, schema_version: '1' }), /^schema_version: /);
    const { schema_version: _omitted, ...rest } = valid;
    assert.match(reasonOf(rest), /^schema_version: /);
  });

  it('validates the Telco payloads of sign-up and subscription', () => {
    const signedUp = { ...valid, event_type: 'customer.signed_up', payload: { gender: 'Male', senior_citizen: 'no', partner: true, dependents: false } };
    assert.match(reasonOf(signedUp), /payload\.senior_citizen/);
    assert.match(reasonOf({ ...valid, event_type: 'subscription.changed', payload: { plan: 'pro' } }), /payload\.contract/);
  });

  it('accepts subscription.cancelled and subscription.reactivated with or without a reason', () => {
    for (const type of ['subscription.cancelled', 'subscription.reactivated']) {
      assert.deepEqual(accepted({ ...valid, event_type: type, payload: {} }).payload, {});
      assert.deepEqual(accepted({ ...valid, event_type: type, payload: { reason: 'too expensive' } }).payload, { reason: 'too expensive' });
      assert.match(reasonOf({ ...valid, event_type: type, payload: { reason: '' } }), /payload\.reason/);
      assert.match(reasonOf({ ...valid, event_type: type, payload: { reason: 3 } }), /payload\.reason/);
      assert.match(reasonOf({ ...valid, event_type: type, payload: undefined }), /^payload: /);
    }
  });
});

describe('customerEventSchema, schema version 2', () => {
  it('takes the payloads the contract fixes as in version 1', () => {
    const event = accepted(v2('invoice.paid', valid.payload));
    assert.equal(event.schema_version, 2);
    if (event.event_type === 'invoice.paid') assert.equal(event.payload.amount, 42.5);
    else assert.fail('narrowed to invoice.paid');
    assert.match(reasonOf(v2('invoice.paid', { ...valid.payload, amount: -1 })), /^payload\.amount: must not be negative$/);
    assert.match(reasonOf(v2('support.ticket_opened', { ticket_id: 't', category: 'billing', severity: 'urgent' })), /^payload\.severity: /);
    assert.deepEqual(accepted(v2('subscription.cancelled', { reason: 'moved' })).payload, { reason: 'moved' });
    assert.deepEqual(accepted(v2('subscription.reactivated', {})).payload, {});
    assert.match(reasonOf(v2('subscription.cancelled', { reason: '' })), /^payload\.reason: /);
  });

  it('takes sign-up and subscription payloads as flat objects of attribute → value, any subset of them', () => {
    assert.deepEqual(accepted(v2('customer.signed_up', { plan: 'pro', seats: 12, annual: true, region: '' })).payload, {
      plan: 'pro',
      seats: 12,
      annual: true,
      region: '',
    });
    assert.deepEqual(accepted(v2('subscription.changed', { seats: 14 })).payload, { seats: 14 });
    assert.deepEqual(accepted(v2('subscription.changed', {})).payload, {});
  });

  it('refuses a nested or missing value in an attribute payload, naming the field', () => {
    assert.match(reasonOf(v2('customer.signed_up', { plan: { name: 'pro' } })), /^payload\.plan: must be a string, a finite number or a boolean$/);
    assert.match(reasonOf(v2('subscription.changed', { seats: [1, 2] })), /^payload\.seats: /);
    assert.match(reasonOf(v2('subscription.changed', { seats: null, plan: 'pro', region: null })), /^payload\.seats: .*; payload\.region: /);
  });

  it('refuses a payload that is not an object', () => {
    assert.match(reasonOf(v2('customer.signed_up', ['pro'])), /^payload: /);
    assert.match(reasonOf(v2('user.logged_in', 'pro')), /^payload: /);
    assert.match(reasonOf(v2('user.logged_in', undefined)), /^payload: /);
  });

  it('accepts an event type of the business with a flat payload', () => {
    const event = accepted(v2('user.logged_in', { device: 'ios', minutes: 3.5 }));
    assert.equal(event.event_type, 'user.logged_in');
    assert.equal(hasKnownEventType(event), false);
    assert.deepEqual(event.payload, { device: 'ios', minutes: 3.5 });
    assert.equal(hasKnownEventType(accepted(v2('customer.signed_up', {}))), true);
  });

  it('refuses a nested value in a custom payload, naming the field', () => {
    assert.match(reasonOf(v2('seats.changed', { seats: { from: 1, to: 2 } })), /^payload\.seats: /);
  });

  it('refuses an event type not spelled as dot-separated lower-case words', () => {
    for (const type of ['UserLoggedIn', 'login', 'user.', '.login', 'User.logged_in', 'user logged.in']) {
      assert.match(reasonOf(v2(type, {})), /^event_type: unknown event_type/, type);
    }
    assert.match(reasonOf(v2(42 as unknown as string, {})), /^event_type: unknown event_type/);
    const { event_type: _omitted, ...rest } = v2('user.logged_in', {});
    assert.match(reasonOf(rest), /^event_type: unknown event_type/);
  });

  it('names every bad field of the envelope with those of the payload', () => {
    const { customer_id: _omitted, ...rest } = v2('user.logged_in', { device: ['ios'] });
    const reason = reasonOf({ ...rest, occurred_at: 'now' });
    assert.match(reason, /customer_id/);
    assert.match(reason, /occurred_at/);
    assert.match(reason, /payload\.device/);
  });

  it('lets code narrow the contract types after hasKnownEventType', () => {
    const amounts = [accepted(valid), accepted(v2('invoice.paid', valid.payload)), accepted(v2('user.logged_in', { amount: 1 }))].map((event) => {
      if (!hasKnownEventType(event)) return 0;
      return event.event_type === 'invoice.paid' ? event.payload.amount : -1;
    });
    assert.deepEqual(amounts, [42.5, 42.5, 0]);
  });
});
