import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binIndex, histogramOf, kolmogorovSurvival, ksFromHistograms, populationStabilityIndex, psiAgainstReference } from './drift';

describe('drift', () => {
  it('bins like numpy.histogram: left-closed, last bin right-closed, outliers in the end bins', () => {
    const edges = [0, 10, 20, 30];
    assert.deepEqual(
      [-5, 0, 9.99, 10, 29.99, 30, 99].map((v) => binIndex(edges, v)),
      [0, 0, 0, 1, 2, 2, 2],
    );
  });

  it('computes PSI as Σ (a − e) ln(a / e) (numpy: 0.2407945608651872)', () => {
    assert.ok(Math.abs(populationStabilityIndex([50, 30, 20], [30, 30, 40]) - 0.2407945608651872) < 1e-12);
    assert.equal(populationStabilityIndex([5, 3, 2], [50, 30, 20]), 0);
  });

  it('counts unseen categories in a bucket of their own, so a new category shows up as drift', () => {
    const reference = { kind: 'categorical' as const, categories: ['Month-to-month', 'One year', 'Two year'], counts: [55, 21, 24] };
    assert.deepEqual(histogramOf(reference, ['One year', 'Three year', 'Two year', 'One year']), [0, 2, 1, 1]);
    assert.ok(psiAgainstReference(reference, Array(100).fill('Three year')) > 1);
    assert.ok(psiAgainstReference(reference, [...Array(55).fill('Month-to-month'), ...Array(21).fill('One year'), ...Array(24).fill('Two year')]) < 1e-9);
  });

  it('gives the Kolmogorov survival function (scipy kstwobign: sf(1.0) = 0.26999967, sf(1.36) = 0.04948588)', () => {
    assert.ok(Math.abs(kolmogorovSurvival(1.0) - 0.26999967167735456) < 1e-8);
    assert.ok(Math.abs(kolmogorovSurvival(1.36) - 0.049485876755377876) < 1e-8);
  });

  it('finds no difference between identical distributions and a clear one between shifted ones', () => {
    assert.deepEqual(ksFromHistograms([10, 20, 30], [20, 40, 60]), { statistic: 0, pValue: 1 });
    const shifted = ksFromHistograms([400, 300, 200, 100, 0], [0, 100, 200, 300, 400]);
    assert.ok(Math.abs(shifted.statistic - 0.6) < 1e-12);
    assert.ok(shifted.pValue < 1e-6);
  });
});
