import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aLabelledPrediction as row, daysAgo, NOW } from '../labelled-prediction.builders';
import type { ModelCardFacts } from '../model-cards/model-card';
import { computeModelQuality } from './model-quality';
import { periodQuality } from './period-quality';

const FROM = daysAgo(7);
const TO = daysAgo(1);
const card = (version: string, decisionThreshold: number, cvRocAuc?: number): ModelCardFacts => ({
  version,
  decisionThreshold,
  cvRocAuc,
  featureHistograms: {},
  scoreHistogram: undefined,
});

describe('model quality over a period [from, to)', () => {
  it('counts an outcome observed at `from`, not one observed at `to` nor a millisecond before `from`', () => {
    const rows = [
      row('A', 0.9, true, { observed_at: FROM }),
      row('B', 0.1, false, { observed_at: daysAgo(3) }),
      row('C', 0.2, true, { observed_at: TO }),
      row('D', 0.8, false, { observed_at: daysAgo(7, -1) }),
    ];
    const [figures] = periodQuality(rows, new Map(), FROM, TO);
    // A and B only: .9 churned above .1 stayed → ROC-AUC 1 (C and D, outside, would rank the wrong way round).
    assert.deepEqual([figures!.figures.count, figures!.figures.positives, figures!.figures.roc_auc], [2, 1, 1]);
  });

  it('is empty for a period without outcomes, and for an empty period', () => {
    assert.deepEqual(periodQuality([row('A', 0.9, true, { observed_at: NOW })], new Map(), FROM, TO), []);
    assert.deepEqual(periodQuality([row('A', 0.9, true, { observed_at: FROM })], new Map(), FROM, FROM), []);
  });

  it('lists champions then shadows, each by version, and judges each at its card’s threshold', () => {
    const at = { observed_at: daysAgo(2) };
    const rows = [
      row('A', 0.6, true, { ...at, model_version: 'v2', role: 'shadow' }),
      row('A', 0.6, true, { ...at, model_version: 'v2' }),
      row('A', 0.6, true, { ...at, model_version: 'v1' }),
    ];
    const cards = new Map([['v2', card('v2', 0.7, 0.84)]]);
    const periods = periodQuality(rows, cards, FROM, TO);
    // One churner at .6: v1 (no card: 0.5) predicts churn, recall 1; v2 at 0.7 does not, recall 0.
    assert.deepEqual(
      periods.map((p) => [p.role, p.model_version, p.cv_roc_auc, p.figures.threshold, p.figures.recall]),
      [
        ['champion', 'v1', null, 0.5, 1],
        ['champion', 'v2', 0.84, 0.7, 0],
        ['shadow', 'v2', 0.84, 0.7, 0],
      ],
    );
  });

  it('gives the rolling window’s figures for the same outcomes', () => {
    const rows = [
      row('A', 0.8, true, { observed_at: daysAgo(6) }),
      row('B', 0.6, false, { observed_at: daysAgo(2) }),
      row('C', 0.4, true, { observed_at: NOW }),
      row('D', 0.7, false, { observed_at: daysAgo(8) }),
    ];
    // The 7-day window holds A, B, C (D is older); [7 days ago, now + 1 ms) holds the same three.
    const [rolling] = computeModelQuality(rows, new Map(), NOW, []);
    const [period] = periodQuality(rows, new Map(), FROM, new Date(NOW.getTime() + 1));
    assert.equal(period!.figures.count, 3);
    assert.deepEqual(period!.figures, rolling!.windows['7d'].overall);
  });
});
