import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { DEFAULT_REGISTRY_DIR, ModelRegistryDir } from '@churn/scoring';

const root = path.resolve(DEFAULT_REGISTRY_DIR, '..');
const cli = path.join(root, 'apps', 'cli', 'dist', 'main.js');
const train = path.join(root, 'data', 'telco', 'train.csv');

describe('churn score (the built CLI as a process)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-score-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("reproduces the trainer's probabilities for data/telco/train.csv within 1e-6, one row per input row in order", () => {
    const out = path.join(tmp, 'scores.csv');
    const result = spawnSync(process.execPath, [cli, 'score', '--input', train, '--output', out, '--no-explain'], {
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    assert.equal(result.status, 0, result.stderr);
    const registry = new ModelRegistryDir();
    const expected = parse(fs.readFileSync(path.join(registry.dirOf(registry.active()!), 'train-predictions.csv')), { columns: true }) as {
      customerID: string;
      churn_probability: string;
    }[];
    const got = parse(fs.readFileSync(out), { columns: true }) as Record<string, string>[];
    assert.equal(got.length, expected.length);
    got.forEach((row, i) => {
      assert.equal(row['customerID'], expected[i]!.customerID);
      assert.ok(Math.abs(Number(row['churn_probability']) - Number(expected[i]!.churn_probability)) <= 1e-6, row['customerID']);
      assert.equal(Number(row['risk_score']), Math.round(Number(row['churn_probability']) * 100));
    });
    assert.equal(JSON.parse(result.stdout).rejected, 0);
  });

  it('writes explained rows, the segment exports sorted by score and a summary; refuses a bad row with its reason', () => {
    const lines = fs.readFileSync(train, 'utf8').trim().split('\n').slice(0, 201);
    lines.push(lines[1]!.replace('Two year', 'Three year'));
    const input = path.join(tmp, 'in.csv');
    fs.writeFileSync(input, `${lines.join('\n')}\n`);
    const out = path.join(tmp, 'explained.csv');
    const segments = path.join(tmp, 'segments');
    const result = spawnSync(process.execPath, [cli, 'score', '--input', input, '--output', out, '--segments', segments], {
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    assert.equal(result.status, 0, result.stderr);
    const rows = parse(fs.readFileSync(out), { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 201);
    assert.ok(rows.slice(0, 200).every((r) => r['top_factor_1'] !== '' && r['error'] === ''));
    assert.match(rows[200]!['error']!, /Contract: unseen category "Three year"/);
    const summary = JSON.parse(fs.readFileSync(path.join(segments, 'summary.json'), 'utf8'));
    assert.equal(summary.scored, 200);
    assert.equal(summary.rejected, 1);
    const critical = parse(fs.readFileSync(path.join(segments, 'critical_risk_customers.csv')), { columns: true }) as Record<string, string>[];
    const levels = ['critical', 'high', 'medium', 'low'].map(
      (l) => (parse(fs.readFileSync(path.join(segments, `${l}_risk_customers.csv`)), { columns: true }) as unknown[]).length,
    );
    assert.equal(
      levels.reduce((a, b) => a + b, 0),
      200,
    );
    assert.equal(critical.length, summary.segments.critical.customers);
    const scores = critical.map((r) => Number(r['churn_probability']));
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
    );
    assert.equal(
      summary.programme_cost,
      rows.slice(0, 200).reduce((a, r) => a + Number(r['intervention_cost']), 0),
    );
  });
});
