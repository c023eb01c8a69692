import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeParse } from '../common/parse-result';
import { customerEventSchema } from './customer-event.schema';

const valid = {
  event_id: 'e-1',
  event_type: 'invoice.paid',
  customer_id: 'C-1',
  occurred_at: '2024-03-01T10:00:00+01:00',
  schema_version: 1,
  payload: { invoice_id: 'i-1', amount: 42.5, period_start: '2024-02-01', period_end: '2024-02-29' },
};

const parse = (value: unknown) => safeParse(customerEventSchema, value);
const reasonOf = (value: unknown) => {
  const result = parse(value);
  assert.equal(result.ok, false, 'expected the event to be refused');
  return result.ok ? '' : result.reason;
};

describe('customerEventSchema', () => {
  it('accepts a valid invoice.paid event and keeps its payload typed', () => {
    const result = parse(valid);
    assert.equal(result.ok, true);
    if (result.ok && result.value.event_type === 'invoice.paid') assert.equal(result.value.payload.amount, 42.5);
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

  it('refuses an unknown event type', () => {
    assert.match(reasonOf({ ...valid, event_type: 'customer.teleported' }), /unknown event_type/);
  });

  it('refuses a time without zone and an unparseable time', () => {
    assert.match(reasonOf({ ...valid, occurred_at: '2024-03-01T10:00:00' }), /occurred_at/);
    assert.match(reasonOf({ ...valid, occurred_at: 'yesterday' }), /occurred_at/);
  });

  it('refuses an unsupported schema version', () => {
    assert.match(reasonOf({ ...valid, schema_version: 2 }), /schema_version/);
  });

  it('validates the payload of each event type', () => {
    const signedUp = { ...valid, event_type: 'customer.signed_up', payload: { gender: 'Male', senior_citizen: 'no', partner: true, dependents: false } };
    assert.match(reasonOf(signedUp), /payload\.senior_citizen/);
  });
});
