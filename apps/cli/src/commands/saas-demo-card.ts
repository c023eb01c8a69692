import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** What a model card says of the model's quality: the selected candidate's CV figure and the holdout's. */
export interface SaasModelQuality {
  readonly version: string;
  readonly candidate: string;
  readonly cvRocAuc: number;
  readonly cvFolds: number;
  readonly holdoutRocAuc: number;
  readonly trainingRows: number;
  readonly holdoutRows: number;
}

const card = z.looseObject({
  version: z.string().min(1),
  selected: z.looseObject({ selected: z.string() }),
  cv_metrics: z.looseObject({
    candidates: z.record(
      z.string(),
      z.looseObject({ summary: z.looseObject({ roc_auc: z.looseObject({ mean: z.number() }) }), per_fold: z.array(z.unknown()) }),
    ),
  }),
  holdout_metrics: z.looseObject({ roc_auc: z.number() }),
  training_data: z.looseObject({ rows: z.number().int(), holdout_rows: z.number().int() }),
});

/** The card of a model version directory, read for its quality figures. */
export function modelQuality(modelDir: string): SaasModelQuality {
  const parsed = card.parse(JSON.parse(fs.readFileSync(path.join(modelDir, 'model-card.json'), 'utf8')));
  const candidate = parsed.selected.selected;
  const cv = parsed.cv_metrics.candidates[candidate];
  if (!cv) throw new Error(`${modelDir}: the model card has no CV figures for its selected candidate ${candidate}`);
  return {
    version: parsed.version,
    candidate,
    cvRocAuc: cv.summary.roc_auc.mean,
    cvFolds: cv.per_fold.length,
    holdoutRocAuc: parsed.holdout_metrics.roc_auc,
    trainingRows: parsed.training_data.rows,
    holdoutRows: parsed.training_data.holdout_rows,
  };
}
