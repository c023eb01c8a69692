import { spawn } from 'node:child_process';
import path from 'node:path';
import { startService, type RunningService } from '@churn/service-kit';
import { serviceTestEnv, waitUntilHttpReady } from '@churn/testing';
import { monitoringConfigSchema } from './config';
import { configureMonitoringHttp } from './http-setup';
import { MonitoringModule } from './monitoring.module';

/** Fixtures of monitoring's integration specs: predictions as the scorer publishes them, and a raw publisher. */

export { aPrediction, publishByCustomer as publish } from '@churn/testing';

/** The built command line (apps/cli/dist), from this file compiled to apps/monitoring/dist. */
const CLI = path.resolve(__dirname, '..', '..', 'cli', 'dist', 'main.js');

/** Runs `bin/churn ARGS` (the built CLI) with `env` added to this process's environment. */
export function runChurn(args: readonly string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Monitoring in this process as `main.ts` starts it (HTTP set-up included), the test environment plus `env`, answering HTTP. */
export async function startMonitoring(env: Record<string, string>): Promise<RunningService> {
  const sut = await startService({
    name: 'monitoring',
    configSchema: monitoringConfigSchema,
    module: () => MonitoringModule,
    configure: configureMonitoringHttp,
    env: serviceTestEnv(env),
  });
  await waitUntilHttpReady(sut.url);
  return sut;
}
