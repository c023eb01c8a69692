import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { featureSpecEnvSchema } from './feature-spec-env';
import { specHash } from './spec-hash';
import { TELCO_SPEC_PATH } from './telco-spec';

const BROKEN = `version: 1
customer_id: { column: account_id }
attributes:
  - { name: plan, type: categorical, categories: [basic], set_by: { event_type: subscription.changed, field: plan } }
  - { name: plan, type: numeric, set_by: { event_type: Subscription, field: seats } }
`;

function writeSpec(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feature-spec-env-'));
  const file = path.join(dir, 'spec.yaml');
  fs.writeFileSync(file, text);
  return file;
}

describe('featureSpecEnvSchema', () => {
  it('loads the shipped Telco spec when FEATURE_SPEC_FILE is unset', () => {
    const { FEATURE_SPEC_FILE: active } = featureSpecEnvSchema.parse({});
    assert.equal(active.file, TELCO_SPEC_PATH);
    assert.equal(active.spec.name, 'telco');
    assert.equal(active.hash, specHash(active.spec));
  });

  it('reads a relative path from the working directory', () => {
    const file = writeSpec(fs.readFileSync(TELCO_SPEC_PATH, 'utf8'));
    const relative = path.relative(process.cwd(), file);
    assert.equal(featureSpecEnvSchema.parse({ FEATURE_SPEC_FILE: relative }).FEATURE_SPEC_FILE.file, file);
  });

  it('lists every problem of a spec that does not validate, each with the file and its place in it', () => {
    const file = writeSpec(BROKEN);
    const result = featureSpecEnvSchema.safeParse({ FEATURE_SPEC_FILE: file });
    assert.equal(result.success, false);
    const problems = result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    assert.ok(problems.length >= 3, problems.join('\n'));
    assert.ok(
      problems.every((p) => p.startsWith(`FEATURE_SPEC_FILE: ${file}: `)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.includes('attributes[0].categories: must list at least 2 categories')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.includes('attributes[1].name: "plan" is also attributes[0].name')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.includes('attributes[1].set_by.event_type: ')),
      problems.join('\n'),
    );
  });

  it('names a file it cannot read', () => {
    const result = featureSpecEnvSchema.safeParse({ FEATURE_SPEC_FILE: '/nonexistent/spec.yaml' });
    assert.match(result.error!.issues[0]!.message, /^\/nonexistent\/spec\.yaml: cannot read the file: /);
  });
});
