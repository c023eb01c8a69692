import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { seededRandom } from '@churn/analytics';
import { churn, trainForSpec } from './train-spec-support';

/** A spec nobody on the team wrote: a numeric under another column name, a boolean, a closed and an open-ended categorical. */
const SPEC = `
version: 1
name: synthetic-accounts
description: Synthetic accounts of a made-up software business (test data).
customer_id: { column: account_id }
label: { column: churned, positive: "true" }
attributes:
  - { name: monthly_spend, column: Monthly Spend, type: numeric, set_by: { event_type: subscription.changed, field: monthly_spend } }
  - { name: auto_renew, type: boolean, set_by: { event_type: subscription.changed, field: auto_renew } }
  - { name: plan, type: categorical, categories: [basic, pro, enterprise], set_by: { event_type: subscription.changed, field: plan } }
  - { name: country, type: categorical, max_categories: 4, set_by: { event_type: subscription.changed, field: country } }
aggregates:
  - { name: logins_30d, kind: count, event_type: user.logged_in, window_days: 30, model_input: false }
`;

/** Churn driven by spend, auto-renewal, plan and whether the country is one of the four common ones (synthetic). */
function syntheticTable(rows: number): string {
  const next = seededRandom(11); // the same table on every run
  const countries = Array.from({ length: 12 }, (_, i) => `c${String(i).padStart(2, '0')}`);
  const lines = ['account_id,Monthly Spend,auto_renew,plan,country,churned'];
  for (let i = 0; i < rows; i++) {
    const spend = Math.round((20 + next() * 130) * 100) / 100;
    const renew = next() < 0.6;
    const u = next();
    const plan = u < 0.5 ? 'basic' : u < 0.85 ? 'pro' : 'enterprise';
    const c = next();
    const country = c < 0.85 ? countries[Math.floor(c / 0.2125)]! : countries[4 + Math.floor(next() * 8)]!;
    const logit =
      -0.5 +
      0.015 * (spend - 80) -
      1.4 * Number(renew) +
      (plan === 'basic' ? 0.8 : plan === 'enterprise' ? -0.9 : 0) +
      (countries.indexOf(country) >= 4 ? 1 : 0);
    const churned = next() < 1 / (1 + Math.exp(-logit));
    lines.push(`A-${String(i).padStart(4, '0')},${spend},${renew ? 1 : 0},${plan},${country},${churned}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('churn train --spec → churn score --model, on a table of another business (Python trainer, ONNX, TypeScript scoring)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-train-spec-'));
  const spec = path.join(tmp, 'accounts.yaml');
  const table = path.join(tmp, 'accounts.csv');
  const registry = path.join(tmp, 'models');
  let modelDir = '';
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  before(() => {
    fs.writeFileSync(spec, SPEC);
    fs.writeFileSync(table, syntheticTable(600));
    modelDir = trainForSpec(spec, table, registry);
  });

  it("scores the table with the trainer's probabilities (within 1e-6), keyed by the spec's id column, with risk and drivers", () => {
    const out = path.join(tmp, 'scores.csv');
    const result = churn(['score', '--model', modelDir, '--input', table, '--output', out]);
    assert.equal(result.status, 0, result.stderr);
    const expected = parse(fs.readFileSync(path.join(modelDir, 'train-predictions.csv')), { columns: true }) as Record<string, string>[];
    const got = parse(fs.readFileSync(out), { columns: true }) as Record<string, string>[];
    assert.equal(got.length, 600);
    assert.deepEqual(Object.keys(got[0]!).slice(0, 4), ['account_id', 'churn_probability', 'risk_score', 'risk_level']);
    got.forEach((row, i) => {
      assert.equal(row['account_id'], expected[i]!['account_id']);
      assert.ok(Math.abs(Number(row['churn_probability']) - Number(expected[i]!['churn_probability'])) <= 1e-6, row['account_id']);
      assert.equal(row['error'], '');
      assert.ok(['monthly_spend', 'auto_renew', 'plan', 'country'].includes(row['top_factor_1']!), row['top_factor_1']);
    });
    const summary = JSON.parse(result.stdout) as { feature_spec: { name: string; hash: string }; rejected: number };
    assert.equal(summary.feature_spec.name, 'synthetic-accounts');
    assert.equal(summary.rejected, 0);
    const card = JSON.parse(fs.readFileSync(path.join(modelDir, 'model-card.json'), 'utf8')) as { feature_spec: { hash: string } };
    assert.equal(summary.feature_spec.hash, card.feature_spec.hash);
  });

  it('scores a country the model did not keep as its other bucket and a boolean spelled in words, and refuses a plan outside the closed list', () => {
    const input = path.join(tmp, 'new.csv');
    fs.writeFileSync(input, 'account_id,Monthly Spend,auto_renew,plan,country\nN-1,80,1,pro,never-seen\nN-2,80,1,gold,c00\nN-3,80,Yes,pro,c11\n');
    const out = path.join(tmp, 'new-scores.csv');
    const result = churn(['score', '--model', modelDir, '--input', input, '--output', out, '--no-explain']);
    assert.equal(result.status, 0, result.stderr);
    const [unseen, refused, rare] = parse(fs.readFileSync(out), { columns: true }) as Record<string, string>[];
    assert.equal(unseen!['error'], '');
    assert.match(refused!['error']!, /plan: unseen category "gold"/);
    // A rare country and one never seen are both the other bucket; "Yes" is the boolean's true (1).
    assert.equal(rare!['error'], '');
    assert.equal(rare!['churn_probability'], unseen!['churn_probability']);
  });

  it('refuses a table to score without a column the model reads, naming it', () => {
    const input = path.join(tmp, 'partial.csv');
    fs.writeFileSync(input, 'account_id,plan,country\nN-1,pro,c00\n');
    const result = churn(['score', '--model', modelDir, '--input', input, '--output', path.join(tmp, 'never.csv')]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /partial\.csv lacks columns the model reads: Monthly Spend, auto_renew/);
    assert.equal(fs.existsSync(path.join(tmp, 'never.csv')), false);
  });

  it('refuses to train on a table whose columns do not match the spec, and on a spec that does not validate', () => {
    const wrong = path.join(tmp, 'wrong.csv');
    fs.writeFileSync(wrong, 'account_id,monthly_spend,auto_renew,plan,churned,email\nA-1,3,1,pro,true,a@b.c\n');
    const columns = churn(['train', '--spec', spec, '--data', wrong, '--out', registry]);
    assert.equal(columns.status, 1);
    assert.match(columns.stderr, /missing columns: Monthly Spend, country\n\s+columns the spec does not declare: monthly_spend, email/);

    const broken = path.join(tmp, 'broken.yaml');
    fs.writeFileSync(broken, SPEC.replace('categories: [basic, pro, enterprise]', 'categories: [basic]').replace('max_categories: 4', 'max_categories: 1'));
    const invalid = churn(['train', '--spec', broken, '--data', table, '--out', registry]);
    assert.equal(invalid.status, 1);
    assert.match(invalid.stderr, /2 problems in the feature spec/);
    assert.match(invalid.stderr, /attributes\[2\]\.categories/);
    assert.match(invalid.stderr, /attributes\[3\]\.max_categories/);
  });
});
