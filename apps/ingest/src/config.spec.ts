import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig } from '@churn/config';
import { itRefusesKafkaSaslWithoutCredentials } from '@churn/testing';
import { ingestConfigSchema } from './config';

function brokenSpec(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-config-')), 'broken.yaml');
  fs.writeFileSync(
    file,
    `version: 1
customer_id: { column: account_id }
attributes:
  - { name: plan, type: categorical, categories: [basic], set_by: { event_type: subscription.changed, field: plan } }
  - { name: seats, type: numeric, set_by: { event_type: subscription.changed, field: seats }, optional: maybe }
`,
  );
  return file;
}

describe('ingest configuration', () => {
  itRefusesKafkaSaslWithoutCredentials(ingestConfigSchema);

  it('runs with the shipped Telco spec unless FEATURE_SPEC_FILE names another', () => {
    assert.equal(parseConfig(ingestConfigSchema, {}).FEATURE_SPEC_FILE.spec.name, 'telco');
  });

  it('lists every problem of a spec that does not validate beside the other bad variables', () => {
    assert.throws(
      () => parseConfig(ingestConfigSchema, { FEATURE_SPEC_FILE: brokenSpec(), PORT: 'x' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const specProblems = error.problems.filter((p) => p.startsWith('FEATURE_SPEC_FILE: '));
        assert.equal(specProblems.length, 2, specProblems.join('\n'));
        assert.ok(specProblems.some((p) => p.endsWith('attributes[0].categories: must list at least 2 categories')));
        assert.ok(specProblems.some((p) => p.includes('attributes[1].optional: ')));
        assert.ok(error.problems.some((p) => p.startsWith('PORT: ')));
        return true;
      },
    );
  });

  it('stops the service at start, exit code 1, with every problem of the spec', () => {
    const file = brokenSpec();
    const run = spawnSync(process.execPath, [path.join(__dirname, 'main.js')], {
      env: { ...process.env, FEATURE_SPEC_FILE: file, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(run.status, 1, run.stderr);
    const fatal = JSON.parse(run.stderr.trim().split('\n').pop()!) as { code: string; problems: string[] };
    assert.equal(fatal.code, 'CONFIG_INVALID');
    assert.deepEqual(
      fatal.problems.map((p) => p.replace(`FEATURE_SPEC_FILE: ${file}: `, '').split(':')[0]),
      ['attributes[0].categories', 'attributes[1].optional'],
    );
  });
});
