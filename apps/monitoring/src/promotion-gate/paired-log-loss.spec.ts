import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logLossOf, pairedLogLoss, type PairedOutcome } from './paired-log-loss';

const options = { margin: 0.02, confidence: 0.95, samples: 1000, seed: 7 };

/** n customers, half churned; the champion says 0.5 to all; the challenger says `hit` to churners and 1 − hit to the others. */
function customers(n: number, hit: number): PairedOutcome[] {
  return Array.from({ length: n }, (_, i) => ({ customer_id: `C${i}`, churned: i % 2 === 0, champion: 0.5, challenger: i % 2 === 0 ? hit : 1 - hit }));
}

describe('pairedLogLoss', () => {
  it('passes a challenger that is better on every customer: each difference is ln 2 − ln(1/0.8)', () => {
    const result = pairedLogLoss(customers(20, 0.8), options);
    const d = Math.log(2) - Math.log(1 / 0.8);
    assert.ok(Math.abs(result.improvement - d) < 1e-12);
    assert.ok(Math.abs(result.improvement_lower_bound - d) < 1e-12, 'every resample has the same mean');
    assert.ok(Math.abs(result.champion_log_loss - Math.log(2)) < 1e-12);
    assert.equal(result.p_value, 0);
    assert.equal(result.beats_margin, true);
    assert.deepEqual([result.customers, result.churned], [20, 10]);
  });

  it('keeps the champion when the challenger is worse on every customer', () => {
    const result = pairedLogLoss(customers(20, 0.4), options);
    assert.ok(result.improvement < 0);
    assert.equal(result.p_value, 1);
    assert.equal(result.beats_margin, false);
  });

  it('keeps the champion when the improvement is real but its lower bound is under the margin', () => {
    // Better on 14 customers by ln 2 − ln 1.25 ≈ 0.470, worse on 6 by ln 5 − ln 2 ≈ 0.916: mean ≈ 0.054 is
    // above the margin, but with a standard error near 0.14 its 95 % lower bound is far below it.
    const pairs = customers(20, 0.8).map((p, i) => (i < 6 ? { ...p, challenger: 1 - p.challenger } : p));
    const result = pairedLogLoss(pairs, options);
    assert.ok(result.improvement > options.margin);
    assert.ok(result.improvement_lower_bound < options.margin);
    assert.equal(result.beats_margin, false);
  });

  it('gives the same figures for the same seed', () => {
    const pairs = customers(30, 0.7).map((p, i) => (i % 5 === 0 ? { ...p, challenger: 0.5 } : p));
    assert.deepEqual(pairedLogLoss(pairs, options), pairedLogLoss(pairs, options));
  });

  it('clips probabilities as libs/analytics does', () => {
    assert.ok(Math.abs(logLossOf(0, true) - -Math.log(1e-7)) < 1e-9);
    assert.throws(() => pairedLogLoss([], options), RangeError);
  });
});
