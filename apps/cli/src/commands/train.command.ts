import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_REGISTRY_DIR } from '@churn/scoring';
import type { CliContext } from '../cli-context';

/** Runs the Python trainer (apps/trainer) and activates the new version in the registry directory. */
export function registerTrainCommand(program: Command, context: CliContext): void {
  program
    .command('train')
    .description('train a model with the Python trainer and register it as the active version (~5 min on 2 cores)')
    .option('--data <csv>', 'training data', 'data/telco/train.csv')
    .option('--out <dir>', 'model registry directory', DEFAULT_REGISTRY_DIR)
    .action(async (options: { data: string; out: string }) => {
      const root = path.resolve(DEFAULT_REGISTRY_DIR, '..');
      const script = path.join(root, 'apps', 'trainer', 'scripts', 'train.sh');
      context.logger.info({ data: options.data, out: options.out }, 'training');
      const code = await new Promise<number>((resolve, reject) => {
        const child = spawn('bash', [script, '--data', path.resolve(options.data), '--out', path.resolve(options.out), '--activate'], { cwd: root, stdio: 'inherit', env: context.env });
        child.once('error', reject);
        child.once('exit', (status) => resolve(status ?? 1));
      });
      if (code !== 0) throw new Error(`the trainer failed with exit code ${code}`);
      process.stdout.write('Running scorers register the new version at their next start (it becomes champion as the new active version), or activate it now with POST /v1/models/{version}/activate.\n');
    });
}
