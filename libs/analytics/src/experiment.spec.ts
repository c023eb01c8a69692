import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareProportions, standardNormalCdf, wilsonInterval } from './experiment';
import { programmeRoi } from './roi';

describe('one arm’s churn rate interval (Wilson, 95 %)', () => {
  it('matches the score formula worked independently: 100/500 → [0.167284, 0.237288]; 0/10 → [0, 0.277533]; none → undefined', () => {
    const [low, high] = wilsonInterval({ customers: 500, churned: 100 })!;
    assert.ok(Math.abs(low - 0.167284) < 1e-5 && Math.abs(high - 0.237288) < 1e-5, `${low} ${high}`);
    const [zeroLow, zeroHigh] = wilsonInterval({ customers: 10, churned: 0 })!;
    assert.ok(zeroLow === 0 && Math.abs(zeroHigh - 0.277533) < 1e-5, `${zeroLow} ${zeroHigh}`);
    assert.equal(wilsonInterval({ customers: 0, churned: 0 }), undefined);
  });
});

describe('two-proportion comparison', () => {
  it('matches scipy on 100/500 vs 70/500 churned (z 2.52556, p 0.011551, CI [0.013586, 0.106414])', () => {
    const result = compareProportions({ customers: 500, churned: 100 }, { customers: 500, churned: 70 });
    assert.ok(Math.abs(result.uplift! - 0.06) < 1e-12);
    assert.ok(Math.abs(result.zScore! - 2.5255603331649814) < 1e-9);
    assert.ok(Math.abs(result.pValue! - 0.011551394496139622) < 1e-6);
    assert.ok(Math.abs(result.ci95![0] - 0.013585669167322192) < 1e-9);
    assert.ok(Math.abs(result.ci95![1] - 0.1064143308326778) < 1e-9);
    assert.equal(result.underpowered, false);
  });

  it('warns when an arm is below the minimum sample and gives no test for an empty arm', () => {
    assert.equal(compareProportions({ customers: 40, churned: 10 }, { customers: 400, churned: 60 }).underpowered, true);
    const empty = compareProportions({ customers: 0, churned: 0 }, { customers: 10, churned: 1 });
    assert.equal(empty.pValue, undefined);
    assert.equal(empty.treatedRate, 0.1);
  });

  it('has a standard normal CDF accurate to 1e-7', () => {
    assert.ok(Math.abs(standardNormalCdf(1.959963984540054) - 0.975) < 1e-7);
    assert.ok(Math.abs(standardNormalCdf(0) - 0.5) < 1e-7);
  });
});

describe('programme ROI', () => {
  const customers = [
    { churnProbability: 0.9, revenueAtRisk: 1200, interventionCost: 150, treated: true },
    { churnProbability: 0.7, revenueAtRisk: 600, interventionCost: 75, treated: true },
    { churnProbability: 0.2, revenueAtRisk: 2400, interventionCost: 0, treated: false },
  ];

  it('estimates revenue saved from the configured success rate when no experiment runs (hand calculation)', () => {
    const report = programmeRoi(customers, { retentionSuccessRate: 0.4 });
    // saved = 0.4 × (0.9 × 1200 + 0.7 × 600) = 0.4 × 1500 = 600; cost = 225; net = 375; ROI = 375 / 225.
    assert.equal(report.basis, 'estimate');
    assert.equal(report.revenueAtRisk, 4200);
    assert.ok(Math.abs(report.expectedRevenueLoss - 1980) < 1e-9);
    assert.equal(report.programmeCost, 225);
    assert.ok(Math.abs(report.revenueSaved - 600) < 1e-9);
    assert.ok(Math.abs(report.netBenefit - 375) < 1e-9);
    assert.ok(Math.abs(report.roiMultiple! - 375 / 225) < 1e-12);
    assert.ok(Math.abs(report.customersRetained - 0.64) < 1e-12);
  });

  it('uses the measured uplift when an experiment runs', () => {
    const experiment = compareProportions({ customers: 500, churned: 100 }, { customers: 500, churned: 70 });
    const report = programmeRoi(customers, { retentionSuccessRate: 0.4 }, experiment);
    // retained = 0.06 × 2 treated; saved = retained × mean treated revenue (900) = 108.
    assert.equal(report.basis, 'measured');
    assert.ok(Math.abs(report.customersRetained - 0.12) < 1e-12);
    assert.ok(Math.abs(report.revenueSaved - 108) < 1e-9);
  });
});
