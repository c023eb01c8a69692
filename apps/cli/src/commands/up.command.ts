import type { Command } from 'commander';
import {
  SERVICES,
  spawnService,
  stopService,
  waitUntilReady,
  type RunningStack,
  type ServiceProcess,
} from '@churn/local-stack';
import type { CliContext } from '../cli-context';
import { startStackFromEnv } from './stack-env';

export interface UpOptions {
  readonly logs?: boolean;
  readonly services?: boolean;
  /** Extra environment for every service (the demo sets its own label delay, for instance). */
  readonly serviceEnv?: Record<string, string>;
}

export interface RunningPlatform {
  readonly stack: RunningStack;
  readonly services: readonly ServiceProcess[];
  stop(): Promise<void>;
}

/** Kafka + Postgres (unless given), then the five services, each awaited until /health/ready answers 200. */
export async function bringUp(context: CliContext, options: UpOptions = {}): Promise<RunningPlatform> {
  const { logger } = context;
  const started = Date.now();
  const stack = await startStackFromEnv(context);
  const services: ServiceProcess[] = [];
  const stop = async () => {
    logger.info('stopping services');
    await Promise.all(services.map((service) => stopService(service, logger)));
    logger.info('stopping Kafka and Postgres');
    await stack.stop();
  };
  try {
    if (options.services !== false) {
      const env = { ...options.serviceEnv, KAFKA_BROKERS: stack.kafkaBrokers, DATABASE_URL: stack.databaseUrl };
      for (const { name } of SERVICES) services.push(spawnService(name, env, { echo: options.logs }));
      await Promise.all(services.map((service) => waitUntilReady(service)));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  logger.info({ seconds: Math.round((Date.now() - started) / 100) / 10 }, 'platform is up');
  return { stack, services, stop };
}

export function printEndpoints(platform: RunningPlatform): void {
  const lines = [
    '',
    `  Kafka      ${platform.stack.kafkaBrokers}`,
    `  Postgres   ${platform.stack.databaseUrl.replace(/\/\/([^:]+):[^@]+@/, '//$1:***@')}`,
    ...platform.services.map((s) => `  ${s.name.padEnd(10)} http://127.0.0.1:${s.port}  (/metrics, /health/ready; logs: ${s.logFile})`),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Keeps the process alive until Ctrl-C or SIGTERM, then stops everything cleanly. */
export function waitForSignal(platform: RunningPlatform, context: CliContext): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = () => {
      if (stopping) return;
      stopping = true;
      void platform.stop().then(resolve, (error: unknown) => {
        context.logger.error({ err: error }, 'error while stopping');
        resolve();
      });
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    for (const service of platform.services) {
      service.child.once('exit', (code, signal) => {
        if (!stopping) context.logger.error({ service: service.name, code, signal }, `service exited unexpectedly; see ${service.logFile}`);
      });
    }
  });
}

export function registerUpCommand(program: Command, context: CliContext): void {
  program
    .command('up')
    .description('start the local Kafka broker, Postgres and the five services; Ctrl-C stops them cleanly')
    .option('--logs', 'stream the services\u2019 JSON logs to this terminal')
    .option('--no-services', 'start only Kafka and Postgres (topics and schema included)')
    .action(async (options: UpOptions) => {
      const platform = await bringUp(context, options);
      printEndpoints(platform);
      process.stdout.write('Press Ctrl-C to stop.\n');
      await waitForSignal(platform, context);
    });
}
