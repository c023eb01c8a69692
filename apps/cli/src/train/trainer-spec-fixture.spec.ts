import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { featureSpecBlock, loadFeatureSpec, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { REPO_ROOT } from '@churn/local-stack';

const FIXTURE = path.join(REPO_ROOT, 'apps', 'trainer', 'tests', 'fixtures', 'telco-feature-spec.json');

describe("the trainer tests' Telco spec", () => {
  it('is specs/telco.yaml as `churn train` hands it to the trainer (regenerate it when the spec changes)', () => {
    const expected = `${JSON.stringify(featureSpecBlock(loadFeatureSpec(TELCO_SPEC_PATH)), null, 2)}\n`;
    assert.equal(
      fs.readFileSync(FIXTURE, 'utf8'),
      expected,
      `${FIXTURE} differs from specs/telco.yaml: node -e "const f=require('./libs/feature-spec/dist');process.stdout.write(JSON.stringify(f.featureSpecBlock(f.loadFeatureSpec('specs/telco.yaml')),null,2)+'\\\\n')" > ${path.relative(REPO_ROOT, FIXTURE)}`,
    );
  });
});
