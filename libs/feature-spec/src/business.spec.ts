import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FeatureSpecError } from './feature-spec.error';
import { loadFeatureSpec, parseFeatureSpec } from './load-feature-spec';
import { specHash } from './spec-hash';
import { TELCO_SPEC_PATH } from './telco-spec';

const FEATURES = `version: 1
customer_id: { column: account_id }
attributes:
  - name: plan
    type: categorical
    categories: [basic, pro]
    set_by: { event_type: subscription.changed, field: plan }
  - name: annual
    type: boolean
    set_by: { event_type: subscription.changed, field: annual }
  - name: price
    type: numeric
    set_by: { event_type: subscription.changed, field: price }
aggregates:
  - name: tickets_90d
    kind: count
    event_type: support.ticket_opened
    window_days: 90
    model_input: false
`;

function problemsOf(business: string): readonly string[] {
  try {
    parseFeatureSpec(`${FEATURES}business:\n${business}`, 'test.yaml');
  } catch (error) {
    assert.ok(error instanceof FeatureSpecError, String(error));
    return error.problems;
  }
  assert.fail('the spec was accepted');
}

describe('the business section of a spec', () => {
  it('reads revenue, cohorts and playbook, with defaults', () => {
    const spec = parseFeatureSpec(`${FEATURES}business:
  monthly_revenue: price
  cohorts:
    - feature: plan
    - { name: price_band, feature: price, bands: [50, 200] }
  playbook:
    - { factor: plan, when: { plan: basic, annual: 0 }, offer: upgrade call }
`);
    assert.equal(spec.business?.monthly_revenue, 'price');
    assert.deepEqual(spec.business?.cohorts, [{ feature: 'plan' }, { name: 'price_band', feature: 'price', bands: [50, 200] }]);
    assert.deepEqual(spec.business?.playbook, [
      { factor: 'plan', when: { plan: 'basic', annual: 0 }, min_level: 'medium', offer: 'upgrade call', extra_cost: 0 },
    ]);
  });

  it('names every reference that does not fit the features', () => {
    const problems = problemsOf(`  monthly_revenue: plan
  cohorts:
    - feature: seats
    - feature: price
    - { feature: plan, bands: [1] }
    - { name: risk_level, feature: annual }
    - { name: p, feature: price, bands: [10, 5], labels: [a, b] }
  playbook:
    - { factor: tickets_90d, offer: call }
    - { factor: plan, when: { plan: gold, annual: "Yes", price: high, region: eu }, offer: call }
`);
    assert.deepEqual(problems, [
      'business.monthly_revenue: "plan" is categorical: revenue must be a numeric feature',
      'business.cohorts[0].feature: "seats" is not a feature of this spec',
      'business.cohorts[1].bands: "price" is numeric: give bands (the cohorts\' upper bounds)',
      'business.cohorts[2].bands: bands are for numeric features; "plan" is categorical (one cohort per value)',
      'business.cohorts[3].name: cohort dimension "risk_level" is already taken (by the risk level, always reported): give another name',
      'business.cohorts[4].bands[1]: bands must be ascending',
      'business.cohorts[4].labels: needs 3 labels (one per band and one above the last bound), got 2',
      'business.playbook[0].factor: "tickets_90d" is not a model input: it is never a top factor',
      'business.playbook[1].when.plan: "gold" is not a category of plan (basic, pro)',
      'business.playbook[1].when.annual: annual is spelled 1 or 0 in the vector',
      'business.playbook[1].when.price: price is numeric: compare it with a number',
      'business.playbook[1].when.region: "region" is not a feature of this spec',
    ]);
  });

  it('is left out of the hash: editing the playbook needs no retraining', () => {
    const without = parseFeatureSpec(FEATURES);
    const withBusiness = parseFeatureSpec(`${FEATURES}business:\n  monthly_revenue: price\n  playbook: [{ factor: plan, offer: call }]\n`);
    assert.equal(specHash(withBusiness), specHash(without));
  });

  it("gives the Telco spec its revenue, today's cohorts and the operations guide's offers", () => {
    const business = loadFeatureSpec(TELCO_SPEC_PATH).business;
    assert.equal(business?.monthly_revenue, 'MonthlyCharges');
    assert.deepEqual(
      business?.cohorts.map((c) => c.name),
      ['contract', 'tenure_band'],
    );
    assert.deepEqual(
      [...new Set(business?.playbook.map((r) => r.offer))],
      ['annual-contract offer', 'tech-support bundle', 'automatic-payment incentive', 'early-life onboarding call'],
    );
  });
});
