import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '@churn/local-stack';
import { modelCardFigures } from './model-card-figures';

const TRAIN_CSV = path.join(REPO_ROOT, 'data', 'telco', 'train.csv');
const activeVersion = fs.readFileSync(path.join(REPO_ROOT, 'models', 'active'), 'utf8').trim();
const activeCard = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'models', activeVersion, 'model-card.json'), 'utf8')) as {
  holdout_metrics: { roc_auc: number };
  training_data: { holdout_rows: number };
};

describe('modelCardFigures', () => {
  it("reads the active model's held-out ROC-AUC and knows the training file when it is replayed", () => {
    const sut = modelCardFigures({}, TRAIN_CSV);
    assert.deepEqual(sut, {
      version: activeVersion,
      holdoutRocAuc: activeCard.holdout_metrics.roc_auc,
      holdoutRows: activeCard.training_data.holdout_rows,
      trainingFile: 'data/telco/train.csv',
      replayIsTrainingData: true,
    });
  });

  it('tells another file apart from the training data, and follows MODEL_DIR', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-card-'));
    try {
      const head = path.join(dir, 'head.csv');
      fs.writeFileSync(head, fs.readFileSync(TRAIN_CSV, 'utf8').split('\n').slice(0, 11).join('\n'));
      assert.equal(modelCardFigures({ MODEL_DIR: path.join(REPO_ROOT, 'models', activeVersion) }, head)?.replayIsTrainingData, false);
      assert.equal(modelCardFigures({ MODEL_DIR: dir }, TRAIN_CSV), undefined, 'no card, no figures');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
