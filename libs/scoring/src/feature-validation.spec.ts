import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FeatureValidator } from './feature-validation';
import type { FeatureSpec } from './model-card';

const specs: FeatureSpec[] = [
  { name: 'Contract', kind: 'categorical', categories: ['Month-to-month', 'One year', 'Two year'] },
  { name: 'SeniorCitizen', kind: 'numeric', min: 0, max: 1, allowed_values: [0, 1] },
  { name: 'tenure', kind: 'numeric', min: 0, max: 72 },
  { name: 'TotalCharges', kind: 'numeric', min: 0, max: 8000, missing_means: 0 },
];

describe('FeatureValidator', () => {
  const sut = new FeatureValidator(specs, { rangeTolerance: 0.25 });

  it('accepts a complete vector and returns it in model order', () => {
    assert.deepEqual(sut.check({ tenure: 3, Contract: 'One year', SeniorCitizen: true, TotalCharges: null }), { ok: true, row: ['One year', 1, 3, 0] });
  });

  it('names the missing attribute, the unseen category and the out-of-range number', () => {
    const result = sut.check({ Contract: 'Monthly', tenure: 500, TotalCharges: 10 });
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && result.issues.map((i) => i.field), ['Contract', 'SeniorCitizen', 'tenure']);
    assert.match(!result.ok ? result.issues[0]!.message : '', /unseen category "Monthly"/);
    assert.match(!result.ok ? result.issues[2]!.message : '', /out of range \[0, 90\]/);
  });

  it('refuses non-finite and non-numeric numbers and values outside the allowed set', () => {
    const result = sut.check({ Contract: 'One year', SeniorCitizen: 2, tenure: Number.NaN, TotalCharges: '12' });
    assert.deepEqual(!result.ok && result.issues.map((i) => `${i.field}: ${i.message}`), [
      'SeniorCitizen: must be one of 0, 1',
      'tenure: must be a finite number',
      'TotalCharges: must be a number',
    ]);
  });

  it('allows a value a little beyond the training range (tenure keeps growing)', () => {
    assert.equal(sut.check({ Contract: 'One year', SeniorCitizen: 0, tenure: 80, TotalCharges: 1 }).ok, true);
  });

  it('accepts any value of an open-ended categorical, and a blank of an optional feature', () => {
    const sut = new FeatureValidator([
      { name: 'plan', kind: 'categorical', categories: ['basic', 'pro'], open_ended: true, other: 'other' },
      { name: 'region', kind: 'categorical', categories: ['eu', 'us'], optional: true },
      { name: 'seats', kind: 'numeric', min: 1, max: 50, optional: true },
    ]);
    const result = sut.check({ plan: 'enterprise', region: '', seats: null });
    assert.equal(result.ok, true);
    assert.deepEqual(result.ok && result.row.slice(0, 2), ['enterprise', '']);
    assert.ok(result.ok && Number.isNaN(result.row[2]));
    const refused = sut.check({ plan: '', region: 'apac', seats: 3 });
    assert.deepEqual(!refused.ok && refused.issues.map((i) => i.field), ['plan', 'region']);
  });

  it('gives a message the row with a missing number as null (NaN in the model’s row), never a non-finite number', () => {
    const sut = new FeatureValidator([
      { name: 'plan', kind: 'categorical', categories: ['basic', 'pro'] },
      { name: 'logins_trend', kind: 'numeric', min: -1, max: 5, optional: true },
      { name: 'seats', kind: 'numeric', min: 1, max: 50 },
    ]);
    const result = sut.check({ plan: 'pro', logins_trend: null, seats: 3 });
    assert.ok(result.ok);
    assert.ok(Number.isNaN(result.row[1]), 'the model reads a missing number as NaN');
    assert.deepEqual(sut.toMessageRecord(result.row), { plan: 'pro', logins_trend: null, seats: 3 });
    assert.deepEqual(JSON.parse(JSON.stringify(sut.toMessageRecord(result.row))), sut.toMessageRecord(result.row));
  });
});
