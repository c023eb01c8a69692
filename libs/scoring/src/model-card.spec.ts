import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { featureSpecBlock, loadFeatureSpec, parseFeatureSpec, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { cardFeatureSpec, ModelCardError, parseModelCard } from './model-card';
import { ModelRegistryDir } from './model-registry';

const SPEC = `
version: 1
name: accounts
customer_id: { column: account_id }
label: { column: churned, positive: "true" }
attributes:
  - { name: seats, type: numeric, set_by: { event_type: subscription.changed, field: seats } }
  - { name: plan, type: categorical, max_categories: 3, set_by: { event_type: subscription.changed, field: plan } }
aggregates:
  - { name: logins_30d, kind: count, event_type: user.logged_in, window_days: 30, model_input: false }
`;

/** A card of a model trained on SPEC, as the trainer writes it (the parts the scorer reads). */
function cardOf(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 'v1',
    feature_spec: featureSpecBlock(parseFeatureSpec(SPEC)),
    onnx: {
      file: 'model.onnx',
      inputs: [
        { name: 'seats', dtype: 'float32' },
        { name: 'plan', dtype: 'string' },
      ],
      output: { name: 'churn_probability' },
    },
    features: [
      { name: 'seats', kind: 'numeric', min: 1, max: 40 },
      { name: 'plan', kind: 'categorical', categories: ['basic', 'pro', 'team'], open_ended: true, other: 'other' },
    ],
    explanation: {
      background: [{ seats: 3, plan: 'pro' }],
      baseline: 0.2,
      permutations: [[0, 1]],
      permutations_per_background: 1,
      feature_order: ['seats', 'plan'],
    },
    ...overrides,
  };
}

describe('model card: the feature spec it was trained on', () => {
  it("reads a card's feature_spec: its name, hash and spec", () => {
    const block = cardFeatureSpec(parseModelCard(cardOf(), 'card'));
    assert.equal(block.name, 'accounts');
    assert.equal(block.hash, featureSpecBlock(parseFeatureSpec(SPEC)).hash);
    assert.equal(block.spec.customer_id.column, 'account_id');
  });

  it('refuses a card whose spec does not hash to its recorded hash, or whose features are not its model inputs', () => {
    const tampered = cardOf();
    (tampered['feature_spec'] as { hash: string }).hash = '0'.repeat(64);
    assert.throws(
      () => parseModelCard(tampered, 'card'),
      (e: unknown) => e instanceof ModelCardError && /feature_spec\.hash is not the hash/.test(e.message),
    );

    const other = featureSpecBlock(parseFeatureSpec(SPEC.replace('name: seats', 'name: users').replace('field: seats', 'field: users')));
    assert.throws(
      () => parseModelCard(cardOf({ feature_spec: other }), 'card'),
      (e: unknown) => e instanceof ModelCardError && /features \(seats, plan\) are not the model inputs of feature_spec \(users, plan\)/.test(e.message),
    );
  });

  it('reads a card without feature_spec (trained before specs existed) as the Telco spec', () => {
    const registry = new ModelRegistryDir();
    const json: unknown = JSON.parse(fs.readFileSync(`${registry.dirOf(registry.active()!)}/model-card.json`, 'utf8'));
    const card = parseModelCard(json, 'active card');
    assert.equal(card.feature_spec, undefined);
    const block = cardFeatureSpec(card);
    assert.deepEqual(block, featureSpecBlock(loadFeatureSpec(TELCO_SPEC_PATH)));
    assert.equal(block.spec.customer_id.column, 'customerID');
  });
});
