import path from 'node:path';

/** The repository root: this file is compiled to libs/local-stack/dist/paths.js. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Git-ignored home of local runtime state: Kafka jars and data, Postgres data, the Python venv. */
export function stateDir(): string {
  return process.env['CHURN_STATE_DIR'] ?? path.join(REPO_ROOT, '.churn');
}
