import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Topics } from '@churn/contracts';
import type { Logger } from '@churn/observability';
import { devPortOffset } from './local-stack';
import { REPO_ROOT, stateDir } from './paths';
import { waitFor, waitForExit } from './process-utils';

/** The five services, their ports (contract) and the file `nx build` makes of each. */
export const SERVICES = [
  { name: 'ingest', port: 3001 },
  { name: 'scorer', port: 3002 },
  { name: 'alerting', port: 3003 },
  { name: 'crm-sync', port: 3004 },
  { name: 'monitoring', port: 3005 },
] as const;

export type ServiceName = (typeof SERVICES)[number]['name'];

/** What each service's consumer group reads (contract v1): the platform has caught up when all show lag 0. */
export const SERVICE_INPUTS: Record<ServiceName, readonly string[]> = {
  ingest: [Topics.customerEvents],
  scorer: [Topics.customerFeatures],
  alerting: [Topics.predictions, Topics.outcomes],
  'crm-sync': [Topics.predictions, Topics.alerts, Topics.outcomes],
  monitoring: [
    Topics.predictions,
    Topics.predictionsShadow,
    Topics.outcomes,
    Topics.alerts,
    Topics.interventions,
    Topics.customerFeatures,
    Topics.alertUpdates,
    Topics.alertNotifications,
    Topics.crmActivity,
    Topics.modelRegistry,
  ],
};

export interface ServiceProcess {
  readonly name: ServiceName;
  readonly port: number;
  readonly child: ChildProcess;
  readonly logFile: string;
}

/** The service's port in `churn up`: the contract's, shifted by CHURN_PORT_OFFSET. */
export function servicePort(name: ServiceName, env: NodeJS.ProcessEnv = process.env): number {
  return SERVICES.find((s) => s.name === name)!.port + devPortOffset(env);
}

export function serviceEntryPoint(name: ServiceName): string {
  return path.join(REPO_ROOT, 'apps', name, 'dist', 'main.js');
}

/** Copies a service's output to this console: as it is, or each line through a formatter. */
export type LogEcho = boolean | ((line: string) => string);

/**
 * Starts one service as a child process; its JSON log lines go to .churn/logs/<name>.log (and to the
 * console with `echo`). `logDir` puts them elsewhere: a fault test reads its own services' logs.
 */
export function spawnService(name: ServiceName, env: NodeJS.ProcessEnv, options: { echo?: LogEcho; port?: number; logDir?: string } = {}): ServiceProcess {
  const port = options.port ?? servicePort(name);
  const logDir = options.logDir ?? path.join(stateDir(), 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const out = fs.createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [serviceEntryPoint(name)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    const echo = echoTo(options.echo);
    stream?.on('data', (chunk: Buffer) => {
      out.write(chunk);
      echo?.(chunk);
    });
  }
  child.once('exit', () => out.end());
  return { name, port, child, logFile };
}

function echoTo(echo: LogEcho | undefined): ((chunk: Buffer) => void) | undefined {
  if (!echo) return undefined;
  if (echo === true) return (chunk) => process.stdout.write(chunk);
  let pending = '';
  return (chunk) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop()!;
    for (const line of lines) if (line) process.stdout.write(echo(line));
  };
}

export async function isServiceReady(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

export async function waitUntilReady(service: ServiceProcess, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `${service.name} to become ready on port ${service.port}`,
    async () => {
      if (service.child.exitCode !== null) throw new Error(`${service.name} exited with code ${service.child.exitCode}; see ${service.logFile}`);
      return isServiceReady(service.port);
    },
    timeoutMs,
    300,
  );
}

/** SIGTERM and wait: each service finishes its batch and closes its pools within its own budget. */
export async function stopService(service: ServiceProcess, logger: Logger, graceMs = 15_000): Promise<void> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return;
  service.child.kill('SIGTERM');
  const timer = setTimeout(() => {
    logger.warn({ service: service.name }, 'service did not stop in time; killing it');
    service.child.kill('SIGKILL');
  }, graceMs);
  await waitForExit(service.child);
  clearTimeout(timer);
}
