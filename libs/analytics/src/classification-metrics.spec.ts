import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  averagePrecision,
  brierScore,
  classificationReport,
  expectedCalibrationError,
  liftAtTopDecile,
  logLoss,
  rocAuc,
  thresholdMetrics,
  type LabelledScore,
} from './classification-metrics';

const data = (pairs: Array<[number, 0 | 1]>): LabelledScore[] => pairs.map(([score, label]) => ({ score, label: label === 1 }));

// Reference values from scikit-learn 1.6.1 (the trainer's venv) on the same inputs:
// y = [0,0,1,1,0,1,0,1,1,0], p = [0.1,0.4,0.35,0.8,0.2,0.7,0.6,0.9,0.55,0.3]
const sample = data([
  [0.1, 0],
  [0.4, 0],
  [0.35, 1],
  [0.8, 1],
  [0.2, 0],
  [0.7, 1],
  [0.6, 0],
  [0.9, 1],
  [0.55, 1],
  [0.3, 0],
]);

describe('classification metrics', () => {
  it('computes ROC-AUC as the Mann–Whitney statistic (sklearn: 0.88)', () => {
    assert.ok(Math.abs(rocAuc(sample)! - 0.88) < 1e-12);
  });

  it('counts tied scores as half a correct ordering', () => {
    assert.equal(
      rocAuc(
        data([
          [0.5, 1],
          [0.5, 0],
        ]),
      ),
      0.5,
    );
    assert.equal(
      rocAuc(
        data([
          [0.9, 1],
          [0.5, 1],
          [0.5, 0],
          [0.1, 0],
        ]),
      ),
      0.875,
    );
  });

  it('computes average precision like sklearn (0.9028571428571428)', () => {
    assert.ok(Math.abs(averagePrecision(sample)! - 0.9028571428571428) < 1e-12);
  });

  it('computes Brier score, log loss and a perfect-calibration ECE of zero', () => {
    assert.ok(Math.abs(brierScore(sample)! - 0.1425) < 1e-12);
    assert.ok(Math.abs(logLoss(sample)! - 0.4445133502715981) < 1e-9);
    assert.equal(
      expectedCalibrationError(
        data([
          [0.25, 1],
          [0.25, 0],
          [0.25, 0],
          [0.25, 0],
        ]),
      ),
      0,
    );
    assert.ok(
      Math.abs(
        expectedCalibrationError(
          data([
            [0.95, 0],
            [0.05, 1],
          ]),
        )! - 0.95,
      ) < 1e-12,
    );
  });

  it('measures lift in the top decile, ties kept in input order', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ score: 1 - i / 100, label: i < 10 || i % 10 === 0 }));
    // Top 10 are all churners; overall 19 of 100 churn → lift 1 / 0.19.
    assert.ok(Math.abs(liftAtTopDecile(rows)! - 1 / 0.19) < 1e-12);
  });

  it('reports threshold metrics and leaves undefined what does not exist', () => {
    assert.deepEqual(thresholdMetrics(sample, 0.5), { threshold: 0.5, accuracy: 0.8, precision: 0.8, recall: 0.8, f1: 0.8000000000000002 });
    const oneClass = classificationReport(
      data([
        [0.2, 0],
        [0.3, 0],
      ]),
      0.5,
    );
    assert.equal(oneClass.rocAuc, undefined);
    assert.equal(oneClass.liftTopDecile, undefined);
    assert.equal(oneClass.atThreshold.precision, undefined);
  });
});
