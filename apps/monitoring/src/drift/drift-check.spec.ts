import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FeatureSampleRow } from '@churn/monitoring-data';
import type { ModelCardFacts } from '../model-cards/model-card';
import { modelDrift, type DriftThresholds, type FeatureDrift } from './drift-check';

/** Reference: tenure half in [0, 10), half in [10, 20]; contract half monthly, half yearly; scores half below 0.5. */
const CARD: ModelCardFacts = {
  version: 'v1',
  decisionThreshold: 0.5,
  cvRocAuc: 0.75,
  featureHistograms: {
    tenure: { kind: 'numeric', edges: [0, 10, 20], counts: [50, 50] },
    contract: { kind: 'categorical', categories: ['monthly', 'yearly'], counts: [50, 50] },
  },
  scoreHistogram: { kind: 'numeric', edges: [0, 0.5, 1], counts: [50, 50] },
};
const T: DriftThresholds = { psi: 0.2, ksPValue: 0.05, performanceDrop: 0.25, minSamples: 4 };

const customer = (tenure: unknown, contract: unknown, score: number): FeatureSampleRow => ({ churn_probability: score, features: { tenure, contract } });
/** Four customers spread exactly as the reference. */
const STABLE = [customer(5, 'monthly', 0.25), customer(15, 'yearly', 0.75), customer(5, 'monthly', 0.25), customer(15, 'yearly', 0.75)];
/** Four customers all in the first bin / first category. */
const SHIFTED = [customer(5, 'monthly', 0.25), customer(5, 'monthly', 0.25), customer(5, 'monthly', 0.25), customer(5, 'monthly', 0.25)];
/**
 * PSI of [1, 0] against [½, ½], the empty bin floored at 1e-4:
 * (1 − ½)·ln(1/½) + (1e-4 − ½)·ln(1e-4/½) = ½·ln 2 + 0.4999·ln 5000 ≈ 4.6043.
 */
const PSI_ALL_IN_ONE_BIN = 0.5 * Math.log(2) + 0.4999 * Math.log(5000);

const close = (actual: number | null | undefined, expected: number, what: string) =>
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) < 1e-9, `${what}: expected ${expected}, got ${actual}`);
const named = (features: readonly FeatureDrift[], subject: string) => features.find((f) => f.subject === subject)!;

describe('model drift', () => {
  it('finds no drift in a sample spread as the reference: PSI 0, KS 0 with p 1, features in name order', () => {
    const drift = modelDrift(CARD, 'champion', STABLE, null, 0, T);
    assert.deepEqual([drift.model_version, drift.role, drift.customers, drift.enough_data], ['v1', 'champion', 4, true]);
    assert.deepEqual(drift.features, [
      { subject: 'contract', kind: 'categorical', psi: 0, ks_statistic: null, ks_p_value: null, breached: false },
      { subject: 'tenure', kind: 'numeric', psi: 0, ks_statistic: 0, ks_p_value: 1, breached: false },
    ]);
    assert.deepEqual(drift.score, { subject: 'churn_probability', kind: 'numeric', psi: 0, ks_statistic: 0, ks_p_value: 1, breached: false });
  });

  it('does not breach at the thresholds themselves: PSI 0 with a PSI threshold of 0, p 1 with a p threshold of 1', () => {
    const drift = modelDrift(CARD, 'champion', STABLE, null, 0, { ...T, psi: 0, ksPValue: 1 });
    assert.deepEqual([...drift.features.map((f) => f.breached), drift.score!.breached], [false, false, false]);
  });

  it('breaches on PSI for a sample all in one bin, and reports the KS distance', () => {
    const drift = modelDrift(CARD, 'shadow', SHIFTED, null, 0, T);
    const tenure = named(drift.features, 'tenure');
    close(tenure.psi, PSI_ALL_IN_ONE_BIN, 'tenure PSI');
    // Reference CDF at the edges ½, 1; sample's 1, 1 → KS distance ½.
    close(tenure.ks_statistic, 0.5, 'KS');
    assert.equal(tenure.breached, true);
    close(named(drift.features, 'contract').psi, PSI_ALL_IN_ONE_BIN, 'contract PSI (the unseen bucket is empty on both sides)');
    close(drift.score!.psi, PSI_ALL_IN_ONE_BIN, 'score PSI');
    assert.equal(drift.score!.breached, true);
  });

  it('breaches a numeric feature on KS alone, and a categorical one never does', () => {
    // PSI threshold out of reach; any p below 1 breaches (four values against a hundred: p ≈ 0.2, not 1).
    const drift = modelDrift(CARD, 'champion', SHIFTED, null, 0, { ...T, psi: Infinity, ksPValue: 1 });
    assert.ok(named(drift.features, 'tenure').ks_p_value! < 1);
    assert.equal(named(drift.features, 'tenure').breached, true);
    assert.equal(named(drift.features, 'contract').breached, false);
  });

  it('counts an unseen category in its own bucket', () => {
    // Expected [½, ½, 0→1e-4], actual [0→1e-4, 0→1e-4, 1]:
    // 2·(1e-4 − ½)·ln(1e-4/½) + (1 − 1e-4)·ln(1/1e-4) = 0.9998·ln 5000 + 0.9999·ln 10⁴ ≈ 17.725.
    const drift = modelDrift(
      CARD,
      'champion',
      STABLE.map((c) => ({ ...c, features: { ...c.features, contract: 'weekly' } })),
      null,
      0,
      T,
    );
    close(named(drift.features, 'contract').psi, 0.9998 * Math.log(5000) + 0.9999 * Math.log(10_000), 'PSI');
  });

  it('shows the figures but raises nothing below the minimum sample, and raises at exactly the minimum', () => {
    const below = modelDrift(CARD, 'champion', SHIFTED, null, 0, { ...T, minSamples: 5 });
    assert.equal(below.enough_data, false);
    close(named(below.features, 'tenure').psi, PSI_ALL_IN_ONE_BIN, 'PSI still shown');
    assert.deepEqual([...below.features.map((f) => f.breached), below.score!.breached], [false, false, false]);
    const atMinimum = modelDrift(CARD, 'champion', SHIFTED, null, 0, { ...T, minSamples: 4 });
    assert.deepEqual([atMinimum.enough_data, named(atMinimum.features, 'tenure').breached], [true, true]);
  });

  it('raises nothing for a feature the sample does not carry (missing, null or not a number or string)', () => {
    const sample = SHIFTED.map((c, i) => ({ ...c, features: { contract: [undefined, null, true, { a: 1 }][i] } }));
    const drift = modelDrift(CARD, 'champion', sample, null, 0, T);
    // No values: PSI 0 (nothing to compare), KS 0 with p 1, not breached.
    assert.deepEqual(named(drift.features, 'tenure'), { subject: 'tenure', kind: 'numeric', psi: 0, ks_statistic: 0, ks_p_value: 1, breached: false });
    assert.deepEqual([named(drift.features, 'contract').psi, named(drift.features, 'contract').breached], [0, false]);
  });

  it('raises nothing for a feature fewer customers than the minimum carry, even in a sample large enough', () => {
    // Four customers (the minimum), tenure set for three of them (an optional attribute): PSI shown, no alert.
    const sample = SHIFTED.map((c, i) => (i === 0 ? { ...c, features: { contract: 'monthly' } } : c));
    const drift = modelDrift(CARD, 'champion', sample, null, 0, T);
    close(named(drift.features, 'tenure').psi, PSI_ALL_IN_ONE_BIN, 'PSI of the three values');
    assert.deepEqual([drift.enough_data, named(drift.features, 'tenure').breached, named(drift.features, 'contract').breached], [true, false, true]);
  });

  it('has no score drift without the card’s score histogram, and no features without its feature histograms', () => {
    const drift = modelDrift({ ...CARD, featureHistograms: {}, scoreHistogram: undefined }, 'champion', SHIFTED, null, 0, T);
    assert.deepEqual([drift.features, drift.score], [[], null]);
  });
});

describe('performance drift', () => {
  it('is the relative drop of the live ROC-AUC from the CV one, breached only above the threshold', () => {
    // (0.75 − 0.5625) / 0.75 = 0.1875 / 0.75 = 0.25 exactly: at the threshold, not above.
    const at = modelDrift(CARD, 'champion', STABLE, 0.5625, 4, T).performance;
    assert.deepEqual(at, { cv_roc_auc: 0.75, live_roc_auc: 0.5625, labelled: 4, relative_drop: 0.25, breached: false });
    // (0.75 − 0.5624) / 0.75 = 0.1876 / 0.75 ≈ 0.25013: just above.
    const above = modelDrift(CARD, 'champion', STABLE, 0.5624, 4, T).performance;
    close(above.relative_drop, 0.1876 / 0.75, 'drop');
    assert.equal(above.breached, true);
  });

  it('needs the minimum of labelled outcomes, whatever the size of the feature sample', () => {
    assert.equal(modelDrift(CARD, 'champion', STABLE, 0.5, 3, T).performance.breached, false);
    assert.equal(modelDrift(CARD, 'champion', [], 0.5, 4, T).performance.breached, true);
  });

  it('is negative when the live figure is better, and absent without a live or a CV ROC-AUC', () => {
    // (0.75 − 0.9375) / 0.75 = −0.25.
    assert.deepEqual(modelDrift(CARD, 'champion', STABLE, 0.9375, 4, T).performance.relative_drop, -0.25);
    assert.deepEqual(modelDrift(CARD, 'champion', STABLE, null, 100, T).performance, {
      cv_roc_auc: 0.75,
      live_roc_auc: null,
      labelled: 100,
      relative_drop: null,
      breached: false,
    });
    const noCv = modelDrift({ ...CARD, cvRocAuc: undefined }, 'champion', STABLE, 0.5, 100, T).performance;
    assert.deepEqual([noCv.cv_roc_auc, noCv.relative_drop, noCv.breached], [null, null, false]);
  });
});
