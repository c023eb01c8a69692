import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { featureSpecBlock, type FeatureSpec } from '@churn/feature-spec';
import { REPO_ROOT } from '@churn/local-stack';

export interface TrainerRun {
  readonly spec: FeatureSpec;
  readonly data: string;
  readonly out: string;
  readonly activate?: boolean;
  readonly config?: string;
  readonly skipShap?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** Where the trainer's stdout goes (its progress is on stderr, which is inherited). */
  readonly stdout?: 'inherit' | 'ignore';
}

/** The Python trainer refused its input (the spec or the table): it printed every problem already. */
export const TRAINER_BAD_INPUT = 2;

/**
 * Runs the Python trainer (apps/trainer/scripts/train.sh) on a table with its spec. The trainer reads
 * the spec as normalized JSON with its hash (`{ name, hash, spec }`, what the model card records), so the
 * format's rules and defaults live only in libs/feature-spec. Resolves with the trainer's exit code.
 */
export async function runTrainer(run: TrainerRun): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-train-'));
  const specFile = path.join(dir, 'feature-spec.json');
  fs.writeFileSync(specFile, `${JSON.stringify(featureSpecBlock(run.spec), null, 2)}\n`);
  const args = [
    path.join(REPO_ROOT, 'apps', 'trainer', 'scripts', 'train.sh'),
    '--spec',
    specFile,
    '--data',
    path.resolve(run.data),
    '--out',
    path.resolve(run.out),
  ];
  if (run.activate) args.push('--activate');
  if (run.config) args.push('--config', path.resolve(run.config));
  if (run.skipShap) args.push('--skip-shap');
  try {
    return await new Promise<number>((resolve, reject) => {
      const child = spawn('bash', args, { cwd: REPO_ROOT, stdio: ['ignore', run.stdout ?? 'inherit', 'inherit'], env: run.env ?? process.env });
      child.once('error', reject);
      child.once('exit', (status) => resolve(status ?? 1));
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
