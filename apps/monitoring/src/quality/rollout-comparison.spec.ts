import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExposureRow, LabelledPredictionRow } from '@churn/monitoring-data';
import { computeModelQuality } from './model-quality';
import { rolloutComparison } from './rollout-comparison';

const NOW = new Date('2026-03-01T00:00:00Z');
const DAY = 86_400_000;

function served(customer: string, version: string, daysAgo: number, p = 0.5): ExposureRow {
  const at = new Date(NOW.getTime() - daysAgo * DAY);
  return {
    customer_id: customer,
    prediction_id: `${customer}-${version}-${daysAgo}`,
    model_version: version,
    churn_probability: p,
    risk_score: Math.round(p * 100),
    risk_level: 'medium',
    intervention_cost: 0,
    revenue_at_risk: 1200,
    experiment_name: null,
    experiment_arm: null,
    as_of: at,
    scored_at: at,
    intervention_applied: null,
    outcome_intervention_cost: null,
  };
}

const labelled = (row: ExposureRow, churned: boolean, role: 'champion' | 'shadow' = 'champion'): LabelledPredictionRow => ({
  ...row,
  churned,
  observed_at: NOW,
  role,
  cohort_features: null,
});

const quality = (rows: readonly LabelledPredictionRow[]) => computeModelQuality(rows, new Map(), NOW, []);
/** The ROI stand-in: which customers each arm's ROI is computed over. */
const customersOf = (exposures: readonly ExposureRow[]) => exposures.map((e) => e.customer_id).sort();

describe('a rollout compared with the champion on live outcomes', () => {
  // A and B: champion only. C: the champion scored it before the rollout, the rollout serves it now. D: rollout only.
  const candidates = [served('A', 'v1', 3, 0.9), served('B', 'v1', 2, 0.1), served('C', 'v1', 10, 0.1), served('C', 'v2', 1, 0.8), served('D', 'v2', 1, 0.2)];
  const outcomes = [
    labelled(candidates[0]!, true),
    labelled(candidates[1]!, false),
    labelled(candidates[2]!, true),
    labelled(candidates[3]!, true),
    labelled(candidates[4]!, false),
    // The rollout's version as a shadow earlier: not its served predictions, not counted.
    labelled(served('A', 'v2', 5, 0.01), true, 'shadow'),
  ];
  const comparison = rolloutComparison({ champion: 'v1', shadow: null, rollout: { version: 'v2', share: 0.5 } }, candidates, outcomes, quality, customersOf);

  it('says which version is which and at what share', () => {
    assert.deepEqual(
      comparison && {
        version: comparison.version,
        share: comparison.share,
        champion: comparison.champion,
        arms: comparison.arms.map((a) => [a.model_version, a.serving]),
      },
      {
        version: 'v2',
        share: 0.5,
        champion: 'v1',
        arms: [
          ['v1', 'champion'],
          ['v2', 'rollout'],
        ],
      },
    );
  });

  it('judges each version on the customers it serves now, with its own served predictions only', () => {
    const [champion, rollout] = comparison!.arms;
    assert.deepEqual([champion.customers, rollout.customers], [2, 2]);
    assert.deepEqual(
      [champion.roi, rollout.roi],
      [
        ['A', 'B'],
        ['C', 'D'],
      ],
    );
    // The champion's pre-rollout prediction of C does not count for the champion; the rollout's shadow past does not count for it.
    assert.equal(champion.quality?.windows.all.overall.count, 2);
    assert.equal(champion.quality?.windows.all.overall.roc_auc, 1);
    assert.equal(rollout.quality?.windows.all.overall.count, 2);
    assert.equal(rollout.quality?.windows.all.overall.roc_auc, 1);
    assert.equal(rollout.quality?.model_version, 'v2');
  });

  it('is null without a rollout, and an arm without labelled outcomes has no quality yet', () => {
    assert.equal(rolloutComparison({ champion: 'v1', shadow: 'v2', rollout: null }, candidates, outcomes, quality, customersOf), null);
    const fresh = rolloutComparison(
      { champion: 'v1', shadow: null, rollout: { version: 'v3', share: 0.1 } },
      [...candidates, served('E', 'v3', 0)],
      outcomes,
      quality,
      customersOf,
    );
    assert.deepEqual([fresh!.arms[1].customers, fresh!.arms[1].quality, fresh!.arms[1].roi], [1, null, ['E']]);
  });
});
