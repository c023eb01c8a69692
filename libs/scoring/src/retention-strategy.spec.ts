import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadFeatureSpec, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { assignArm } from './experiment';
import { DEFAULT_RETENTION_RULES, RetentionStrategy, rulesForBusiness } from './retention-strategy';

describe("RetentionStrategy (operations guide levels, the Telco spec's playbook)", () => {
  const sut = new RetentionStrategy(rulesForBusiness(loadFeatureSpec(TELCO_SPEC_PATH).business));

  it('prices the programme by level', () => {
    assert.equal(sut.decide('critical', [], {}).cost, 150);
    assert.equal(sut.decide('high', [], {}).cost, 75);
    assert.equal(sut.decide('medium', [], {}).cost, 25);
    assert.deepEqual(sut.decide('low', [{ feature: 'Contract', value: 'Month-to-month', contribution: 0.2 }], { Contract: 'Month-to-month' }), {
      action: 'Monitor',
      cost: 0,
      offers: [],
    });
  });

  it('adds the offers the top factors call for', () => {
    const decision = sut.decide(
      'high',
      [
        { feature: 'Contract', value: 'Month-to-month', contribution: 0.12 },
        { feature: 'TechSupport', value: 'No', contribution: 0.05 },
        { feature: 'tenure', value: 40, contribution: -0.08 },
      ],
      { Contract: 'Month-to-month', InternetService: 'Fiber optic', TechSupport: 'No', tenure: 40 },
    );
    assert.equal(decision.action, 'VIP retention programme: annual-contract offer, tech-support bundle');
    assert.equal(decision.cost, 75);
  });

  it('computes revenue at risk as 12 monthly charges by default', () => {
    assert.equal(sut.revenueAtRisk(70.35), 844.2);
  });

  it("makes no targeted offer without a playbook, and a rules file replaces the spec's", () => {
    const drivers = [{ feature: 'Contract', value: 'Month-to-month', contribution: 0.12 }];
    const features = { Contract: 'Month-to-month' };
    assert.equal(new RetentionStrategy(rulesForBusiness(undefined)).decide('high', drivers, features).action, 'VIP retention programme');
    const file = {
      ...DEFAULT_RETENTION_RULES,
      factor_rules: [{ factor: 'Contract', when: {}, min_level: 'high' as const, offer: 'loyalty discount', extra_cost: 20 }],
    };
    assert.deepEqual(new RetentionStrategy(rulesForBusiness(loadFeatureSpec(TELCO_SPEC_PATH).business, file)).decide('high', drivers, features), {
      action: 'VIP retention programme: loyalty discount',
      cost: 95,
      offers: ['loyalty discount'],
    });
  });
});

describe('assignArm', () => {
  it('is deterministic and puts about the control fraction in control', () => {
    const experiment = { name: 'spring-offer', control_fraction: 0.2 };
    assert.equal(assignArm(experiment, 'C-1'), assignArm(experiment, 'C-1'));
    let control = 0;
    for (let i = 0; i < 10_000; i++) if (assignArm(experiment, `C-${i}`) === 'control') control++;
    assert.ok(control > 1800 && control < 2200, String(control));
    const other = { name: 'autumn-offer', control_fraction: 0.2 };
    let same = 0;
    for (let i = 0; i < 1000; i++) if ((assignArm(experiment, `C-${i}`) === 'control') === (assignArm(other, `C-${i}`) === 'control')) same++;
    assert.ok(same < 800, 'experiments split independently');
  });
});
