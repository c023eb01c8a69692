import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { categoryShare, placeInQuantiles } from './quantile-placement';

const QUANTILES = { p0: 0, p5: 2, p25: 10, p50: 20, p75: 40, p95: 80, p100: 100 };

describe('placeInQuantiles', () => {
  it('interpolates the percentile between the two quantiles around the value', () => {
    const placed = placeInQuantiles(30, QUANTILES)!;
    assert.deepEqual(placed.between, ['p50', 'p75']);
    assert.equal(placed.percentile, 62.5);
    assert.equal(placed.position, 0.3);
  });

  it('a value equal to a quantile is that percentile', () => {
    assert.equal(placeInQuantiles(20, QUANTILES)!.percentile, 50);
    assert.equal(placeInQuantiles(100, QUANTILES)!.position, 1);
  });

  it('a value shared by several quantiles takes the middle of their percentiles', () => {
    const placed = placeInQuantiles(0, { p0: 0, p5: 0, p25: 0, p50: 0, p75: 3, p95: 9, p100: 12 })!;
    assert.deepEqual(placed.between, ['p0', 'p50']);
    assert.equal(placed.percentile, 25);
  });

  it('outside the range sits at the end, the marker clamped', () => {
    assert.deepEqual(placeInQuantiles(-5, QUANTILES), { position: 0, percentile: 0, between: ['p0', 'p0'] });
    assert.deepEqual(placeInQuantiles(500, QUANTILES), { position: 1, percentile: 100, between: ['p100', 'p100'] });
  });

  it('a population of one value puts the marker in the middle; no quantiles, no placement', () => {
    assert.equal(placeInQuantiles(7, { p0: 7, p100: 7 })!.position, 0.5);
    assert.equal(placeInQuantiles(7, {}), null);
  });
});

describe('categoryShare', () => {
  const shares = [
    { value: 'Month-to-month', share: 0.55 },
    { value: '1', share: 0.16 },
  ];

  it('finds the customer’s category, numbers as their text', () => {
    assert.equal(categoryShare('Month-to-month', shares), 0.55);
    assert.equal(categoryShare(1, shares), 0.16);
  });

  it('is null for a missing value or a category not listed', () => {
    assert.equal(categoryShare(null, shares), null);
    assert.equal(categoryShare('Two year', shares), null);
  });
});
