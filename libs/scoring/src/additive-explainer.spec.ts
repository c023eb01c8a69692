import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdditiveLogitExplainer, type AdditiveExplainerInput } from './additive-explainer';
import type { Chain, RowEvaluator } from './explanation-chains';
import type { FeatureRow } from './feature-validation';
import type { FeatureSpec } from './model-card';

const specs: FeatureSpec[] = [
  { name: 'plan', kind: 'categorical', categories: ['basic', 'plus', 'pro'] },
  { name: 'tenure', kind: 'numeric', min: 0, max: 72 },
  { name: 'paper', kind: 'categorical', categories: ['Yes', 'No'] },
  { name: 'charges', kind: 'numeric', min: 18, max: 120 },
];
const isString = [true, false, true, false];
const background: FeatureRow[] = [
  ['basic', 1, 'Yes', 20],
  ['plus', 30, 'No', 70.5],
  ['pro', 60, 'Yes', 110],
  ['plus', 12, 'Yes', 45.25],
];
const chains: Chain[] = background.flatMap((_, i) => {
  const order = [
    [0, 1, 2, 3],
    [3, 1, 0, 2],
    [2, 0, 3, 1],
    [1, 3, 2, 0],
  ][i]!;
  return [
    { background: i, order },
    { background: i, order: [...order].reverse() },
  ];
});
const sigmoid = (l: number) => 1 / (1 + Math.exp(-l));
const planTerm: Record<string, number> = { basic: 0.4, plus: -0.2, pro: -0.9 };

/** Logistic model additive per attribute, with a tenure step (like quantile bins). */
function additiveLogit(z: FeatureRow): number {
  return (
    -0.3 + (planTerm[z[0] as string] ?? 0) - 0.03 * (z[1] as number) + ((z[1] as number) < 6 ? 0.5 : 0) + (z[2] === 'Yes' ? 0.35 : 0) + 0.01 * (z[3] as number)
  );
}

function evaluator(logitOf: (z: FeatureRow) => number): RowEvaluator & { rows: number } {
  const evaluate = async (rows: readonly FeatureRow[]) => {
    evaluate.rows += rows.length;
    return Float32Array.from(rows, (z) => sigmoid(logitOf(z)));
  };
  evaluate.rows = 0;
  return evaluate;
}

async function build(evaluate: RowEvaluator): Promise<Awaited<ReturnType<typeof AdditiveLogitExplainer.build>>> {
  const input: AdditiveExplainerInput = { evaluate, background, backgroundPredictions: await evaluate(background), chains, isString, specs };
  return AdditiveLogitExplainer.build(input);
}

/** The trainer's algorithm with every chain row evaluated (the reference the fast path must reproduce). */
async function fullExplanation(evaluate: RowEvaluator, x: FeatureRow): Promise<Float64Array> {
  const phi = new Float64Array(x.length);
  const fb = await evaluate(background);
  for (const chain of chains) {
    const z = [...background[chain.background]!];
    let prev = fb[chain.background]!;
    for (const j of chain.order) {
      z[j] = x[j]!;
      const cur = (await evaluate([z]))[0]!;
      phi[j]! += cur - prev;
      prev = cur;
    }
  }
  return phi.map((v) => v / chains.length);
}

describe('AdditiveLogitExplainer', () => {
  it('accepts an additive model and reproduces the full evaluation, with contributions adding up to f(x) − baseline', async () => {
    const evaluate = evaluator(additiveLogit);
    const { explainer, check } = await build(evaluate);
    assert.ok(explainer, check.reason ?? '');
    assert.equal(check.additive, true);
    assert.ok(check.rowsChecked >= 400);
    const xs: FeatureRow[] = [
      ['pro', 3, 'No', 99.9],
      ['basic', 30, 'Yes', 20],
      ['plus', 71, 'No', 33.3],
    ];
    const before = evaluate.rows;
    const explained = await explainer.explain(xs);
    // Own rows plus at most one new term row per attribute value: nowhere near the ~C·(width − 1) of a full walk.
    assert.ok(evaluate.rows - before <= xs.length * 5, `${evaluate.rows - before} rows`);
    const baseline = (await evaluate(background)).reduce((a, b) => a + b, 0) / background.length;
    for (const [k, x] of xs.entries()) {
      const got = explained[k]!;
      assert.ok(got);
      const want = await fullExplanation(evaluate, x);
      want.forEach((w, j) => assert.ok(Math.abs(got.contributions[j]! - w) < 1e-6, `customer ${k} feature ${j}: ${got.contributions[j]} vs ${w}`));
      const sum = got.contributions.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - (got.probability - baseline)) < 1e-9);
    }
  });

  it('refuses a model with an interaction between attributes (a tree, say)', async () => {
    const { explainer, check } = await build(evaluator((z) => additiveLogit(z) + (z[0] === 'pro' && (z[1] as number) > 24 ? 1.5 : 0)));
    assert.equal(explainer, null);
    assert.equal(check.additive, false);
    assert.ok(check.maxDifference > check.tolerance);
    assert.match(check.reason ?? '', /not additive/);
  });

  it('hands back a customer whose own row is not additive, and one whose probability is 0 or 1 in float32', async () => {
    // An interaction no background or check row can reach: only the per-customer check sees it.
    const { explainer } = await build(evaluator((z) => additiveLogit(z) + (z[3] === 200 && z[1] === 100 ? 2 : 0) + (z[3] === 300 ? 60 : 0)));
    assert.ok(explainer);
    const [interacting, saturated, normal] = await explainer.explain([
      ['pro', 100, 'No', 200],
      ['basic', 1, 'Yes', 300],
      ['plus', 10, 'No', 50],
    ]);
    assert.equal(interacting, null);
    assert.equal(saturated, null);
    assert.ok(normal);
  });
});
