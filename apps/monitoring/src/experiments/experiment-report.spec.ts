import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LabelledPredictionRow } from '@churn/monitoring-data';
import { aLabelledPrediction, daysAgo } from '../labelled-prediction.builders';
import type { EconomicsAssumptions } from '../roi/programme-economics';
import { experimentReport } from './experiment-report';

/** CLV over 24 months of a prediction's 12 months of revenue: 1,200 at risk is 2,400 of CLV. */
const A: EconomicsAssumptions = { retentionSuccessRate: 0.4, clvMonths: 24, predictionRevenueMonths: 12 };

/** An outcome of experiment "x": targeted (an action costing 100 was recommended) unless overridden. */
const outcome = (customer: string, arm: string, churned: boolean, overrides: Partial<LabelledPredictionRow> = {}) =>
  aLabelledPrediction(customer, 0.6, churned, { experiment_name: 'x', experiment_arm: arm, intervention_cost: 100, risk_level: 'high', ...overrides });

/** `n` targeted outcomes in `arm`, the first `churned` of them churned. */
const arm = (name: string, n: number, churned: number) => Array.from({ length: n }, (_, i) => outcome(`${name}-${i}`, name, i < churned));
const assignmentsOf = (rows: readonly LabelledPredictionRow[]) => rows.map((r) => ({ customer_id: r.customer_id, experiment_arm: r.experiment_arm! }));

const close = (actual: number | null | undefined, expected: number, what: string) =>
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) < 1e-12, `${what}: expected ${expected}, got ${actual}`);

describe('experiment report', () => {
  // control: 4 targeted, 3 churned (.75), and one untargeted churner; email: 4 targeted, 1 churned (.25);
  // call: 4 targeted, 3 churned (.75); zoom: assigned one customer, no outcome yet.
  const rows = [...arm('control', 4, 3), outcome('control-untargeted', 'control', true, { intervention_cost: 0 }), ...arm('email', 4, 1), ...arm('call', 4, 3)];
  const assignments = [...assignmentsOf(rows), { customer_id: 'control-new', experiment_arm: 'control' }, { customer_id: 'zoom-0', experiment_arm: 'zoom' }];
  const report = experimentReport('x', assignments, rows, [], A, 4);
  const armNamed = (name: string) => report.arms.find((a) => a.arm === name)!;

  it('lists the control first, then the other arms by name, with their sizes', () => {
    assert.deepEqual(
      report.arms.map((a) => [a.arm, a.customers, a.with_outcome, a.targeted, a.churned, a.churn_rate]),
      [
        ['control', 6, 5, 4, 3, 0.75], // the untargeted churner has an outcome but is not compared
        ['call', 4, 4, 4, 3, 0.75],
        ['email', 4, 4, 4, 1, 0.25],
        ['zoom', 1, 0, 0, 0, null],
      ],
    );
  });

  it('counts the CLV of the targeted customers who stayed, and costs the control nothing without recorded interventions', () => {
    // control: 1 targeted stayer × 2,400; email: 3 × 2,400. email's 4 targeted at the estimate 100 each; control: no action.
    assert.deepEqual([armNamed('control').revenue_retained, armNamed('email').revenue_retained], [2400, 7200]);
    assert.deepEqual([armNamed('control').cost, armNamed('control').cost_basis, armNamed('control').cost_customers], [0, null, { recorded: 0, estimated: 0 }]);
    assert.deepEqual(
      [armNamed('email').cost, armNamed('email').cost_basis, armNamed('email').cost_customers],
      [400, 'estimated', { recorded: 0, estimated: 4 }],
    );
  });

  it('compares each arm with the control: difference = control rate − arm rate', () => {
    const email = report.comparisons.find((c) => c.arm === 'email')!;
    // .75 − .25 = .5; pooled rate 4/8 = .5, pooled SE √(.5·.5·(1/4 + 1/4)) = √.125 → z = .5 / √.125 = √2;
    // unpooled SE √(.75·.25/4 · 2) = √.09375, so the interval is .5 ± 1.96·√.09375 and contains 0: not significant.
    assert.equal(email.against, 'control');
    close(email.difference, 0.5, 'difference');
    close(email.z_score, Math.SQRT2, 'z');
    close((email.ci95![0] + email.ci95![1]) / 2, 0.5, 'interval centre');
    assert.ok(email.ci95![0] < 0 && email.ci95![1] > 1, `interval ${email.ci95}`);
    assert.deepEqual([email.significant, email.underpowered], [false, false], 'four per arm is the minimum: enough');
    const call = report.comparisons.find((c) => c.arm === 'call')!;
    assert.deepEqual([call.difference, call.z_score, call.significant], [0, 0, false]);
  });

  it('has no test for an arm without outcomes, and warns about arms below the minimum only', () => {
    const zoom = report.comparisons.find((c) => c.arm === 'zoom')!;
    assert.deepEqual(zoom, {
      arm: 'zoom',
      against: 'control',
      difference: null,
      ci95: null,
      z_score: null,
      p_value: null,
      significant: false,
      underpowered: true,
    });
    // Arms at exactly the minimum (4) are not warned about.
    assert.deepEqual(report.warnings, ['arm "zoom" has 0 targeted customers with an outcome; at least 4 are needed before its result means much']);
    assert.equal(report.comparisons.length, 3);
  });

  it('calls a large enough difference significant', () => {
    // 15/20 against 5/20: difference .5, pooled rate .5, SE √(.25 · (1/20 + 1/20)) = √.025 → z = .5/√.025 = √10 ≈ 3.16, p ≈ .0016.
    const big = [...arm('control', 20, 15), ...arm('email', 20, 5)];
    const [email] = experimentReport('x', assignmentsOf(big), big, [], A, 21).comparisons;
    close(email!.z_score, Math.sqrt(10), 'z');
    assert.ok(email!.p_value! < 0.01, `p ${email!.p_value}`);
    assert.deepEqual([email!.significant, email!.underpowered], [true, true], 'significant, but 20 per arm is below the minimum of 21');
  });

  it('has no test when every targeted customer of both arms churned (no variance)', () => {
    const all = [...arm('control', 3, 3), ...arm('email', 3, 3)];
    const [email] = experimentReport('x', assignmentsOf(all), all, [], A, 1).comparisons;
    assert.deepEqual([email!.difference, email!.z_score, email!.p_value, email!.significant], [0, null, null, false]);
  });

  it('with one arm only: no comparison; without a control, a warning says there is nothing to compare against', () => {
    const controlOnly = arm('control', 2, 1);
    const alone = experimentReport('x', assignmentsOf(controlOnly), controlOnly, [], A, 1);
    assert.deepEqual([alone.arms.length, alone.comparisons, alone.warnings], [1, [], []]);
    const emailOnly = arm('email', 2, 1);
    const orphan = experimentReport('x', assignmentsOf(emailOnly), emailOnly, [], A, 1);
    assert.deepEqual([orphan.arms.map((a) => a.arm), orphan.comparisons, orphan.warnings], [['email'], [], ['no "control" arm: nothing to compare against']]);
    const nothing = experimentReport('x', [], [], [], A, 1);
    assert.deepEqual([nothing.arms, nothing.comparisons, nothing.warnings], [[], [], ['no "control" arm: nothing to compare against']]);
  });

  it('reads only champion outcomes of this experiment with an arm, the latest per customer', () => {
    const rows = [
      outcome('K', 'control', false, { observed_at: daysAgo(5) }),
      outcome('K', 'control', true), // later: K churned
      outcome('S', 'control', false, { role: 'shadow' }),
      outcome('Y', 'control', false, { experiment_name: 'y' }),
      outcome('N', 'control', false, { experiment_arm: null }),
      outcome('T', 'email', false), // assigned before the assignment list was read: an arm from the outcomes
    ];
    const report = experimentReport('x', [{ customer_id: 'K', experiment_arm: 'control' }], rows, [], A, 1);
    assert.deepEqual(
      report.arms.map((a) => [a.arm, a.customers, a.with_outcome, a.churned]),
      [
        ['control', 1, 1, 1],
        ['email', 0, 1, 0],
      ],
    );
  });

  it('costs a treatment arm’s customer nothing when the outcome says no intervention was applied, and the outcome’s own cost when it has one', () => {
    const rows = [
      outcome('E1', 'email', false, { intervention_applied: false }),
      outcome('E2', 'email', false, { intervention_applied: true, outcome_intervention_cost: 30 }),
      outcome('K', 'control', true),
    ];
    const email = experimentReport('x', assignmentsOf(rows), rows, [], A, 1).arms.find((a) => a.arm === 'email')!;
    // E1: not acted on (0, no source); E2: 30 recorded on the outcome.
    assert.deepEqual([email.cost, email.cost_basis, email.cost_customers], [30, 'recorded', { recorded: 1, estimated: 0 }]);
  });
});
