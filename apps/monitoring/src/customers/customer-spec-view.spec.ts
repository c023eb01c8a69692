import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { featureSpecEnvSchema } from '@churn/feature-spec';
import { CustomerSpecView } from './customer-spec-view';

const SPECS = path.resolve(__dirname, '..', '..', '..', '..', 'specs');
const viewOf = (file: string) => new CustomerSpecView(featureSpecEnvSchema.parse({ FEATURE_SPEC_FILE: path.join(SPECS, file) }).FEATURE_SPEC_FILE);

describe('CustomerSpecView.filterableAttributes', () => {
  it('lists every attribute of the spec in its order, a closed categorical with its categories, an open-ended one without', () => {
    const sut = viewOf('saas.yaml');
    const byName = new Map(sut.filterableAttributes.map((a) => [a.name, a]));
    assert.deepEqual(
      sut.filterableAttributes.map((a) => a.name),
      sut.attributeNames,
    );
    assert.deepEqual(byName.get('plan'), { name: 'plan', type: 'categorical', categories: ['starter', 'team', 'business', 'enterprise'] });
    assert.deepEqual(byName.get('acquisition_channel'), { name: 'acquisition_channel', type: 'categorical' });
    assert.deepEqual(byName.get('seats'), { name: 'seats', type: 'numeric' });
  });

  it('gives a boolean its type only: the filter takes true and false whatever the vector’s spelling', () => {
    const booleans = viewOf('telco.yaml').filterableAttributes.filter((a) => a.type === 'boolean');
    assert.ok(booleans.length > 0);
    assert.ok(booleans.every((a) => Object.keys(a).join() === 'name,type'));
  });
});
