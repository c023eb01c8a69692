import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeParse } from '../common/parse-result';
import { customerFeaturesSchema, FEATURE_SCHEMA_VERSION } from './customer-features.schema';
import { messageVector } from './message-vector';

const HASH = 'a'.repeat(64);
const envelope = { customer_id: 'C-1', as_of: '2024-03-01T10:00:00Z', source_event_id: 'e-1' };
const telcoInputs = {
  gender: 'Female',
  SeniorCitizen: 0,
  Partner: 'Yes',
  Dependents: 'No',
  tenure: 3,
  PhoneService: 'Yes',
  MultipleLines: 'No',
  InternetService: 'DSL',
  OnlineSecurity: 'No',
  OnlineBackup: 'Yes',
  DeviceProtection: 'No',
  TechSupport: 'No',
  StreamingTV: 'No',
  StreamingMovies: 'No',
  Contract: 'Month-to-month',
  PaperlessBilling: 'Yes',
  PaymentMethod: 'Electronic check',
  MonthlyCharges: 29.85,
  TotalCharges: 89.55,
};
const behaviour = { payment_failures_30d: 0, payment_failures_90d: 1, support_tickets_30d: 0, support_tickets_90d: 2, usage_trend: null };
const v1 = { ...envelope, feature_schema_version: 1, features: telcoInputs, behaviour };
const v2 = { ...envelope, feature_schema_version: 2, spec_hash: HASH, features: { plan: 'pro', seats: 12, logins_30d: 40, usage_trend: null } };

const reasonOf = (value: unknown) => {
  const result = safeParse(customerFeaturesSchema, value);
  assert.equal(result.ok, false, 'expected the message to be refused');
  return result.ok ? '' : result.reason;
};

describe('customerFeaturesSchema', () => {
  it('is published as version 2', () => assert.equal(FEATURE_SCHEMA_VERSION, 2));

  it('accepts a version 2 message of any spec and keeps its features in their order', () => {
    const parsed = customerFeaturesSchema.parse(v2);
    assert.equal(parsed.feature_schema_version, 2);
    assert.deepEqual(Object.keys(parsed.features), ['plan', 'seats', 'logins_30d', 'usage_trend']);
  });

  it('accepts a version 1 message (the Telco vector), with or without behaviour', () => {
    assert.equal(customerFeaturesSchema.parse(v1).feature_schema_version, 1);
    const { behaviour: _b, ...withoutBehaviour } = v1;
    assert.equal(customerFeaturesSchema.parse(withoutBehaviour).feature_schema_version, 1);
  });

  it('refuses a version 2 message without a spec hash, or with one that is not a sha256', () => {
    const { spec_hash: _h, ...withoutHash } = v2;
    assert.match(reasonOf(withoutHash), /^spec_hash: /);
    assert.match(reasonOf({ ...v2, spec_hash: 'A'.repeat(64) }), /^spec_hash: must be a sha256/);
    assert.match(reasonOf({ ...v2, spec_hash: HASH.slice(1) }), /^spec_hash: /);
  });

  it('refuses a feature that is not a string, a finite number or null, naming it', () => {
    assert.match(reasonOf({ ...v2, features: { plan: true } }), /features\.plan/);
    assert.match(reasonOf({ ...v2, features: { plan: { tier: 'pro' } } }), /features\.plan/);
    assert.match(reasonOf({ ...v2, features: { seats: Number.POSITIVE_INFINITY } }), /features\.seats/);
  });

  it('refuses a version 2 message without features', () => {
    assert.match(reasonOf({ ...v2, features: {} }), /^features: must carry at least one feature/);
  });

  it('refuses a version 1 message that is not the Telco vector, and a version it does not know', () => {
    assert.match(reasonOf({ ...v1, features: v2.features }), /features\.gender/);
    assert.match(reasonOf({ ...v2, feature_schema_version: 3 }), /feature_schema_version/);
  });
});

describe('messageVector', () => {
  it('reads a version 2 message as its spec hash and its features', () => {
    const vector = messageVector(customerFeaturesSchema.parse(v2));
    assert.equal(vector.specHash, HASH);
    assert.deepEqual(vector.features, v2.features);
  });

  it('reads a version 1 message as the Telco vector: no hash (the Telco spec), its inputs and its aggregates', () => {
    const vector = messageVector(customerFeaturesSchema.parse(v1));
    assert.equal(vector.specHash, null);
    assert.deepEqual(vector.features, { ...telcoInputs, ...behaviour });
  });
});
