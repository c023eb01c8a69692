import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExposureRow, LabelledPredictionRow, RecordedInterventionCost } from '@churn/monitoring-data';
import { experimentReport } from '../experiments/experiment-report';
import { programmeEconomics, type EconomicsAssumptions } from './programme-economics';

const NOW = Date.parse('2026-03-01T00:00:00Z');
const DAY = 86_400_000;
const SINCE = new Date(NOW - 7 * DAY);
const A: EconomicsAssumptions = { retentionSuccessRate: 0.4, clvMonths: 12, predictionRevenueMonths: 12 };

function exposure(customer: string, p: number, revenue: number, cost: number, level: string, overrides: Partial<ExposureRow> = {}): ExposureRow {
  return {
    customer_id: customer,
    prediction_id: `p-${customer}`,
    model_version: 'v1',
    churn_probability: p,
    risk_score: Math.round(p * 100),
    risk_level: level,
    intervention_cost: cost,
    revenue_at_risk: revenue,
    experiment_name: null,
    experiment_arm: null,
    as_of: new Date(NOW - DAY),
    scored_at: new Date(NOW - DAY),
    intervention_applied: null,
    outcome_intervention_cost: null,
    ...overrides,
  };
}

const cost = (customer: string, daysAgo: number, amount: number): RecordedInterventionCost => ({
  customer_id: customer,
  performed_at: new Date(NOW - daysAgo * DAY),
  cost: amount,
});

// Two targeted customers (A critical at 150, B high at 75), two not (C medium, D low).
const EXPOSURES = [
  exposure('A', 0.9, 1200, 150, 'critical'),
  exposure('B', 0.7, 600, 75, 'high'),
  exposure('C', 0.5, 2400, 0, 'medium'),
  exposure('D', 0.2, 1000, 0, 'low'),
];

const close = (actual: number | null, expected: number) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `expected ${expected}, got ${actual}`);

describe('programme economics with recorded intervention costs', () => {
  it('without recorded interventions: the risk levels’ estimated costs (cost basis "estimated")', () => {
    const roi = programmeEconomics('7d', SINCE, EXPOSURES, [], [], A, 5);
    // cost 150 + 75; saved 0.4 · (.9·1200 + .7·600) = 600; net 375.
    close(roi.overall.programme_cost, 225);
    close(roi.overall.revenue_saved, 600);
    close(roi.overall.net_benefit, 375);
    assert.equal(roi.overall.cost_basis, 'estimated');
    assert.deepEqual(roi.overall.cost_customers, { recorded: 0, estimated: 2 });
    assert.equal(roi.by_risk_level['medium']!.cost_basis, null, 'no treated customer: no basis');
  });

  it('over a closed period [since, until): only the costs recorded before its end count, and the snapshot names both ends', () => {
    // A: 40 two days ago is in [7 days ago, 1 day ago); 20 one day ago is at the end, excluded; B keeps its estimate.
    const until = new Date(NOW - DAY);
    const roi = programmeEconomics('period', SINCE, EXPOSURES, [], [cost('A', 2, 40), cost('A', 1, 20)], A, 5, until);
    close(roi.overall.programme_cost, 40 + 75);
    assert.equal(roi.overall.cost_basis, 'mixed');
    assert.equal(roi.since, SINCE.toISOString());
    assert.equal(roi.until, until.toISOString());
    assert.equal(programmeEconomics('7d', SINCE, EXPOSURES, [], [], A, 5).until, null, 'a rolling window ends now');
  });

  it('a completed CRM task (no cost) treats the customer at the level’s estimate: cost basis "estimated"', () => {
    const crmTask = (customer: string): RecordedInterventionCost => ({ customer_id: customer, performed_at: new Date(NOW - DAY), cost: null });
    // C is not targeted (estimate 0) but an agent completed a task for it: treated, at its estimate; A's task adds nothing to its estimate.
    const roi = programmeEconomics(
      '7d',
      SINCE,
      [...EXPOSURES.slice(0, 2), exposure('C', 0.5, 2400, 40, 'medium', { experiment_arm: 'control' })],
      [],
      [crmTask('A'), crmTask('C')],
      A,
      5,
    );
    close(roi.overall.programme_cost, 150 + 75 + 40);
    assert.equal(roi.overall.cost_basis, 'estimated');
    assert.deepEqual(roi.overall.cost_customers, { recorded: 0, estimated: 3 });
    // A task next to a recorded cost: the recorded cost counts.
    const mixed = programmeEconomics('7d', SINCE, EXPOSURES, [], [crmTask('A'), cost('A', 1, 90)], A, 5);
    close(mixed.overall.programme_cost, 90 + 75);
    assert.equal(mixed.overall.cost_basis, 'mixed');
  });

  it('recorded costs in the period replace the estimate and make the customer treated (cost basis "mixed")', () => {
    // A: 40 + 20 recorded in the period (a 1000 before it is not the period's); C: 30 recorded though
    // the scorer recommended nothing; B keeps its estimate 75.
    const costs = [cost('A', 2, 40), cost('A', 1, 20), cost('A', 30, 1000), cost('C', 3, 30)];
    const roi = programmeEconomics('7d', SINCE, EXPOSURES, [], costs, A, 5);
    // treated A, B, C: cost 60 + 75 + 30 = 165; saved 0.4 · (.9·1200 + .7·600 + .5·2400) = 0.4 · 2700 = 1080;
    // net 1080 − 165 = 915; multiple 915 / 165.
    assert.equal(roi.overall.treated_customers, 3);
    close(roi.overall.programme_cost, 165);
    close(roi.overall.revenue_saved, 1080);
    close(roi.overall.net_benefit, 915);
    close(roi.overall.roi_multiple, 915 / 165);
    assert.equal(roi.overall.cost_basis, 'mixed');
    assert.deepEqual(roi.overall.cost_customers, { recorded: 2, estimated: 1 });
    // critical alone: cost 60 recorded, saved 0.4 · 1080 = 432, net 372.
    close(roi.by_risk_level['critical']!.programme_cost, 60);
    close(roi.by_risk_level['critical']!.net_benefit, 372);
    assert.equal(roi.by_risk_level['critical']!.cost_basis, 'recorded');
    assert.equal(roi.by_risk_level['high']!.cost_basis, 'estimated');
    close(roi.by_risk_level['medium']!.programme_cost, 30);
  });

  it('a recorded intervention outweighs an outcome that says none was applied; an outcome’s own cost counts as recorded', () => {
    const rows = [
      exposure('A', 0.9, 1200, 150, 'critical', { intervention_applied: false }),
      exposure('B', 0.7, 600, 75, 'high', { intervention_applied: true, outcome_intervention_cost: 50 }),
    ];
    const roi = programmeEconomics('7d', SINCE, rows, [], [cost('A', 1, 10)], A, 5);
    // A: treated at its recorded 10; B: the outcome's 50. Cost 60, both recorded.
    assert.equal(roi.overall.treated_customers, 2);
    close(roi.overall.programme_cost, 60);
    assert.equal(roi.overall.cost_basis, 'recorded');
    assert.deepEqual(roi.overall.cost_customers, { recorded: 2, estimated: 0 });
  });
});

describe('experiment report with recorded intervention costs', () => {
  const labelled = (customer: string, arm: string, churned: boolean, overrides: Partial<LabelledPredictionRow> = {}): LabelledPredictionRow => ({
    ...exposure(customer, 0.6, 1200, 100, 'high', { experiment_name: 'x', experiment_arm: arm, as_of: new Date(NOW - 10 * DAY) }),
    churned,
    observed_at: new Date(NOW - 2 * DAY),
    role: 'champion',
    cohort_features: null,
    ...overrides,
  });

  it('costs each arm what was recorded between the prediction and the outcome, else the estimate (control: only what was recorded)', () => {
    const rows = [labelled('K1', 'control', true), labelled('K2', 'control', false), labelled('T1', 'treatment', false), labelled('T2', 'treatment', true)];
    // K1: 10 recorded 5 days ago (inside [as_of, observed_at]); T1: 25 inside and 100 after its outcome
    // (1 day ago: cannot have changed it); T2: nothing recorded, so its estimate 100.
    const costs = [cost('K1', 5, 10), cost('T1', 4, 25), cost('T1', 1, 100)];
    const assignments = rows.map((r) => ({ customer_id: r.customer_id, experiment_arm: r.experiment_arm! }));
    const report = experimentReport('x', assignments, rows, costs, A, 1);
    const [control, treatment] = report.arms;
    assert.equal(control!.arm, 'control');
    close(control!.cost, 10);
    assert.equal(control!.cost_basis, 'recorded');
    assert.deepEqual(control!.cost_customers, { recorded: 1, estimated: 0 });
    close(treatment!.cost, 125);
    assert.equal(treatment!.cost_basis, 'mixed');
    assert.deepEqual(treatment!.cost_customers, { recorded: 1, estimated: 1 });
  });
});
