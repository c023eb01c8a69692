import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClassificationReport } from '@churn/analytics';
import { aLabelledPrediction as row, daysAgo, NOW } from '../labelled-prediction.builders';
import type { ModelCardFacts } from '../model-cards/model-card';
import type { CohortDimension } from './cohorts';
import { computeModelQuality, figuresOf, type QualityFigures } from './model-quality';

const card = (version: string, decisionThreshold: number, cvRocAuc?: number): ModelCardFacts => ({
  version,
  decisionThreshold,
  cvRocAuc,
  featureHistograms: {},
  scoreHistogram: undefined,
});
const byRiskLevel: CohortDimension = { name: 'risk_level', cohortOf: (r) => r.risk_level };

/** No outcomes at the default threshold: a count of 0 and every figure null. */
const NO_FIGURES: QualityFigures = {
  count: 0,
  positives: 0,
  roc_auc: null,
  pr_auc: null,
  brier: null,
  log_loss: null,
  ece: null,
  lift_top_decile: null,
  threshold: 0.5,
  accuracy: null,
  precision: null,
  recall: null,
  f1: null,
};

/** Scores 0.8 and 0.4 churned, 0.6 and 0.2 stayed. */
const FOUR = [row('A', 0.8, true), row('B', 0.6, false), row('C', 0.4, true), row('D', 0.2, false)];

const close = (actual: number | null | undefined, expected: number, what: string) =>
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) < 1e-12, `${what}: expected ${expected}, got ${actual}`);

function assertFigures(actual: QualityFigures, expected: Record<keyof QualityFigures, number | null>): void {
  for (const [name, value] of Object.entries(expected) as [keyof QualityFigures, number | null][]) {
    if (value === null) assert.equal(actual[name], null, name);
    else close(actual[name], value, name);
  }
}

describe('quality figures from a classification report', () => {
  it('names every figure of the report after its field', () => {
    const report: ClassificationReport = {
      count: 10,
      positives: 3,
      rocAuc: 0.1,
      prAuc: 0.2,
      brier: 0.3,
      logLoss: 0.4,
      ece: 0.5,
      liftTopDecile: 0.6,
      atThreshold: { threshold: 0.7, accuracy: 0.8, precision: 0.9, recall: 0.95, f1: 0.99 },
    };
    assert.deepEqual(figuresOf(report), {
      count: 10,
      positives: 3,
      roc_auc: 0.1,
      pr_auc: 0.2,
      brier: 0.3,
      log_loss: 0.4,
      ece: 0.5,
      lift_top_decile: 0.6,
      threshold: 0.7,
      accuracy: 0.8,
      precision: 0.9,
      recall: 0.95,
      f1: 0.99,
    });
  });

  it('gives null, not undefined, for a figure that does not exist (JSON keeps the key)', () => {
    const none = undefined;
    const figures = figuresOf({
      count: 0,
      positives: 0,
      rocAuc: none,
      prAuc: none,
      brier: none,
      logLoss: none,
      ece: none,
      liftTopDecile: none,
      atThreshold: { threshold: 0.5, accuracy: none, precision: none, recall: none, f1: none },
    });
    assert.deepEqual(JSON.parse(JSON.stringify(figures)), NO_FIGURES);
  });
});

describe('model quality per version, role, window and cohort', () => {
  it('computes the figures of four outcomes at the default threshold 0.5 without a card', () => {
    const [quality] = computeModelQuality(FOUR, new Map(), NOW, []);
    // Pairs (churned, stayed) ranked right: (.8,.6) (.8,.2) (.4,.2), not (.4,.6) → ROC-AUC 3/4.
    // Average precision: .8 churned (recall 1/2, precision 1) then .4 (recall 1, precision 2/3) → 1/2 + 1/2 · 2/3 = 5/6.
    // Brier: (.2² + .6² + .6² + .2²) / 4 = .8 / 4 = .2. Log loss: −(ln .8 + ln .4 + ln .4 + ln .8) / 4 = −ln(.32) / 2.
    // ECE: each score alone in its tenth: (|1−.8| + |0−.6| + |1−.4| + |0−.2|) / 4 = .4.
    // Lift: top ⌈4/10⌉ = 1 row (.8, churned): rate 1 over 2/4 → 2.
    // At 0.5: .8 TP, .6 FP, .4 FN, .2 TN → accuracy, precision, recall, F1 all 1/2.
    assert.equal(quality!.decision_threshold, 0.5);
    assert.equal(quality!.cv_roc_auc, null);
    assertFigures(quality!.windows.all.overall, {
      count: 4,
      positives: 2,
      roc_auc: 0.75,
      pr_auc: 5 / 6,
      brier: 0.2,
      log_loss: -Math.log(0.32) / 2,
      ece: 0.4,
      lift_top_decile: 2,
      threshold: 0.5,
      accuracy: 0.5,
      precision: 0.5,
      recall: 0.5,
      f1: 0.5,
    });
  });

  it('uses the card’s decision threshold, a score at it counting as churn, and the card’s CV ROC-AUC', () => {
    // Threshold 0.6: .8 TP, .6 FP (at the threshold: predicted churn), .4 FN, .2 TN → as at 0.5.
    // Threshold 0.7: .8 TP; .6 TN, .4 FN, .2 TN → accuracy 3/4, precision 1, recall 1/2, F1 2·1·½ / 1½ = 2/3.
    const [at06] = computeModelQuality(FOUR, new Map([['v1', card('v1', 0.6, 0.81)]]), NOW, []);
    assert.deepEqual(
      [at06!.decision_threshold, at06!.cv_roc_auc, at06!.windows.all.overall.accuracy, at06!.windows.all.overall.precision],
      [0.6, 0.81, 0.5, 0.5],
    );
    const [at07] = computeModelQuality(FOUR, new Map([['v1', card('v1', 0.7)]]), NOW, []);
    const figures = at07!.windows.all.overall;
    assert.deepEqual([figures.threshold, figures.accuracy, figures.precision, figures.recall], [0.7, 0.75, 1, 0.5]);
    close(figures.f1, 2 / 3, 'f1');
    assert.equal(at07!.cv_roc_auc, null, 'a card without CV figures');
  });

  it('counts an outcome in a window from its start on: the start itself in, a millisecond before out', () => {
    const rows = [
      row('A', 0.5, true, { observed_at: NOW }),
      row('B', 0.5, false, { observed_at: daysAgo(1) }), // start of 24h
      row('C', 0.5, true, { observed_at: daysAgo(1, -1) }),
      row('D', 0.5, false, { observed_at: daysAgo(7) }), // start of 7d
      row('E', 0.5, true, { observed_at: daysAgo(30, -1) }),
      row('F', 0.5, false, { observed_at: daysAgo(30) }), // start of 30d
    ];
    const [quality] = computeModelQuality(rows, new Map(), NOW, []);
    // 24h: A, B; 7d: + C, D; 30d: + F; all: + E.
    assert.deepEqual(
      (['24h', '7d', '30d', 'all'] as const).map((w) => quality!.windows[w].overall.count),
      [2, 4, 5, 6],
    );
  });

  it('gives a window without outcomes a count of 0 and no figures, and no cohorts', () => {
    const rows = [row('A', 0.9, true, { observed_at: daysAgo(10) }), row('B', 0.1, false, { observed_at: daysAgo(10) })];
    const [quality] = computeModelQuality(rows, new Map(), NOW, [byRiskLevel]);
    const empty = quality!.windows['24h'];
    assert.deepEqual(empty.overall, NO_FIGURES);
    assert.deepEqual(empty.cohorts, { risk_level: {} });
    assert.equal(quality!.windows['30d'].overall.roc_auc, 1, 'the 30-day window has both');
  });

  it('has no ranking figures with one class only, but the probability figures', () => {
    // Two stayed at .2 and .4: Brier (.04 + .16) / 2 = .1; no ROC-AUC, PR-AUC or lift without a churner; precision 0/0 at 0.5.
    const [quality] = computeModelQuality([row('A', 0.2, false), row('B', 0.4, false)], new Map(), NOW, []);
    const figures = quality!.windows.all.overall;
    assert.deepEqual(
      [figures.roc_auc, figures.pr_auc, figures.lift_top_decile, figures.precision, figures.recall, figures.accuracy],
      [null, null, null, null, null, 1],
    );
    close(figures.brier, 0.1, 'brier');
  });

  it('splits by version and role, champions first then by version, and leaves out a model without outcomes', () => {
    const rows = [
      row('A', 0.5, true, { model_version: 'v2', role: 'shadow' }),
      row('B', 0.5, true, { model_version: 'v2' }),
      row('C', 0.5, true, { model_version: 'v1' }),
      row('D', 0.5, false, { model_version: 'v1' }),
    ];
    const cards = new Map([['v3', card('v3', 0.5, 0.9)]]); // v3 has a card but no outcome yet
    const quality = computeModelQuality(rows, cards, NOW, []);
    assert.deepEqual(
      quality.map((q) => [q.role, q.model_version, q.windows.all.overall.count]),
      [
        ['champion', 'v1', 2],
        ['champion', 'v2', 1],
        ['shadow', 'v2', 1],
      ],
    );
    assert.deepEqual(computeModelQuality([], cards, NOW, [byRiskLevel]), []);
  });

  it('splits each window by cohort, cohorts in name order, each with the figures of its own rows', () => {
    // high: .8 churned, .6 stayed → ROC-AUC 1; low: .4 churned, .2 stayed → ROC-AUC 1; together 3/4.
    const rows = [
      row('A', 0.8, true, { risk_level: 'high' }),
      row('B', 0.6, false, { risk_level: 'high' }),
      row('C', 0.4, true, { risk_level: 'low' }),
      row('D', 0.2, false, { risk_level: 'low' }),
    ];
    const [quality] = computeModelQuality(rows, new Map(), NOW, [byRiskLevel]);
    const cohorts = quality!.windows.all.cohorts['risk_level']!;
    assert.deepEqual(Object.keys(cohorts), ['high', 'low']);
    assert.deepEqual([cohorts['high']!.count, cohorts['high']!.roc_auc, cohorts['low']!.count, cohorts['low']!.roc_auc], [2, 1, 2, 1]);
    assert.equal(quality!.windows.all.overall.roc_auc, 0.75);
  });
});
