import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@churn/local-stack';

const CLI = path.join(REPO_ROOT, 'apps', 'cli', 'dist', 'main.js');

/** Runs `bin/churn` from the built CLI, as a user would (a training run may take minutes). */
export function churn(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: REPO_ROOT, env: { ...process.env, LOG_LEVEL: 'warn' }, timeout: 900_000 });
}

/** `churn train --spec` with the trainer's small test config (no SHAP plots); the new model's directory. */
export function trainForSpec(spec: string, table: string, registry: string): string {
  const trained = churn([
    'train',
    '--spec',
    spec,
    '--data',
    table,
    '--out',
    registry,
    '--config',
    path.join(REPO_ROOT, 'apps', 'trainer', 'config', 'test.yaml'),
    '--skip-shap',
  ]);
  assert.equal(trained.status, 0, trained.stderr);
  return path.join(registry, fs.readFileSync(path.join(registry, 'active'), 'utf8').trim());
}
