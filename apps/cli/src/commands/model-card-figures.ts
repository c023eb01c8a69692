import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_REGISTRY_DIR, ModelRegistryDir } from '@churn/scoring';

/** What the served model's card says of its own quality, to read the demo's ROC-AUC against. */
export interface ModelCardFigures {
  readonly version: string;
  /** ROC-AUC on the customers the trainer kept out of fitting (the card's holdout split). */
  readonly holdoutRocAuc: number;
  readonly holdoutRows: number;
  /** The trainer's input file (repository-relative). */
  readonly trainingFile: string;
  /** The replayed file is byte for byte the training file: the demo's own ROC-AUC is in-sample. */
  readonly replayIsTrainingData: boolean;
}

const cardFigures = z.looseObject({
  version: z.string().min(1),
  holdout_metrics: z.looseObject({ roc_auc: z.number() }),
  training_data: z.looseObject({ path: z.string(), sha256: z.string(), holdout_rows: z.number().int() }),
});

/**
 * The card of the model the scorer serves — MODEL_DIR when set, else the registry's active version,
 * as the scorer chooses — or undefined when there is none or it lacks the holdout figures.
 */
export function modelCardFigures(env: NodeJS.ProcessEnv, replayedFile: string): ModelCardFigures | undefined {
  const dir = env['MODEL_DIR'] || activeModelDir(env['MODEL_REGISTRY_DIR'] || DEFAULT_REGISTRY_DIR);
  const cardFile = dir && path.join(dir, 'model-card.json');
  if (!cardFile || !fs.existsSync(cardFile)) return undefined;
  const card = cardFigures.safeParse(JSON.parse(fs.readFileSync(cardFile, 'utf8')));
  if (!card.success) return undefined;
  const { version, holdout_metrics, training_data } = card.data;
  return {
    version,
    holdoutRocAuc: holdout_metrics.roc_auc,
    holdoutRows: training_data.holdout_rows,
    trainingFile: training_data.path,
    replayIsTrainingData: sha256Of(replayedFile) === training_data.sha256,
  };
}

function activeModelDir(registryRoot: string): string | undefined {
  const registry = new ModelRegistryDir(registryRoot);
  const active = registry.active();
  return active ? registry.dirOf(active) : undefined;
}

function sha256Of(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
