import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadFeatureSpec, specHash, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { REPO_ROOT } from '@churn/local-stack';
import { TELCO_CSV } from './telco-csv';

const cli = path.join(REPO_ROOT, 'apps', 'cli', 'dist', 'main.js');
const churn = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn' } });

describe('churn spec (the built CLI as a process)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-spec-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('validate: "valid" and the hash of a good spec, exit 0', () => {
    const result = churn('spec', 'validate', TELCO_SPEC_PATH);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^valid: .*telco\.yaml \(24 features, 19 of them model inputs\)\nsha256 ([0-9a-f]{64})\n$/);
    assert.ok(result.stdout.includes(specHash(loadFeatureSpec(TELCO_SPEC_PATH))));
  });

  it('validate: every problem of a bad spec with its place, exit 1', () => {
    const bad = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(
      bad,
      fs.readFileSync(TELCO_SPEC_PATH, 'utf8').replace('categories: [Female, Male]', 'categories: [Female]').replace('window_days: 90', 'window_days: 0'),
    );
    const result = churn('spec', 'validate', bad);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /2 problems in the feature spec:\n {2}- attributes\[0\]\.categories: must list at least 2 categories\n {2}- aggregates\[1\]\.window_days: must be at least 1 day\n$/,
    );
  });

  it('infer: writes a draft that validate accepts, and never overwrites a file without --force', () => {
    const out = path.join(tmp, 'drafts', 'telco-draft.yaml');
    const inferred = churn('spec', 'infer', '--data', TELCO_CSV, '--id', 'customerID', '--label', 'Churn', '--out', out);
    assert.equal(inferred.status, 0, inferred.stderr);
    assert.match(inferred.stdout, /wrote .*telco-draft\.yaml: 19 attributes from 5634 customers \(id customerID, label Churn = "Yes" means churned\)/);
    assert.equal(churn('spec', 'validate', out).status, 0);
    const again = churn('spec', 'infer', '--data', TELCO_CSV, '--id', 'customerID', '--label', 'Churn', '--out', out);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /exists: a draft never overwrites/);
    assert.equal(churn('spec', 'infer', '--data', TELCO_CSV, '--id', 'customerID', '--label', 'Churn', '--out', out, '--force').status, 0);
  });

  it('infer: a bad column is one clear line on stderr, exit 1', () => {
    const result = churn('spec', 'infer', '--data', TELCO_CSV, '--id', 'CustomerID', '--label', 'Churn', '--out', path.join(tmp, 'x.yaml'));
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^churn: --id "CustomerID" is not a column of .*train\.csv; its columns are: customerID, gender/);
    assert.ok(!fs.existsSync(path.join(tmp, 'x.yaml')));
  });
});
