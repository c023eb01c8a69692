import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { riskLevelOf, riskScoreOf } from './risk-level';

describe('risk levels (operations guide defaults)', () => {
  it('puts the boundaries where the guide does: critical ≥ 80, high 60–79, medium 40–59, low < 40', () => {
    assert.equal(riskLevelOf(80), 'critical');
    assert.equal(riskLevelOf(79), 'high');
    assert.equal(riskLevelOf(60), 'high');
    assert.equal(riskLevelOf(59), 'medium');
    assert.equal(riskLevelOf(40), 'medium');
    assert.equal(riskLevelOf(39), 'low');
  });

  it('honours configured thresholds', () => {
    assert.equal(riskLevelOf(70, { critical: 70, high: 50, medium: 30 }), 'critical');
  });

  it('maps a probability to a 0–100 score, clamped', () => {
    assert.equal(riskScoreOf(0.804), 80);
    assert.equal(riskScoreOf(1.2), 100);
    assert.equal(riskScoreOf(-0.1), 0);
  });
});
