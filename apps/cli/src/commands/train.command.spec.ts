import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TELCO_SPEC_PATH } from '@churn/feature-spec';
import { trainInputs } from './train.command';

describe('churn train: which spec and table', () => {
  const telcoTable = path.resolve(path.dirname(TELCO_SPEC_PATH), '..', 'data', 'telco', 'train.csv');

  it('trains the Telco table with the Telco spec by default, or with FEATURE_SPEC_FILE', () => {
    assert.deepEqual(trainInputs({}, {}), { specFile: TELCO_SPEC_PATH, data: telcoTable });
    assert.equal(trainInputs({ data: 'other.csv' }, { FEATURE_SPEC_FILE: 'specs/other.yaml' }).specFile, path.resolve('specs/other.yaml'));
    assert.throws(() => trainInputs({}, { FEATURE_SPEC_FILE: 'specs/other.yaml' }), /--data is required/);
  });

  it('needs the table of a spec of its own', () => {
    assert.throws(() => trainInputs({ spec: 'accounts.yaml' }, {}), /--data is required with a spec other than/);
    assert.deepEqual(trainInputs({ spec: 'accounts.yaml', data: 'accounts.csv' }, {}), {
      specFile: path.resolve('accounts.yaml'),
      data: path.resolve('accounts.csv'),
    });
  });
});
