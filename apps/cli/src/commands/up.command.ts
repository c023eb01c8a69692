import type { Command } from 'commander';
import { SERVICES, servicePort, spawnService, stopService, waitUntilReady, type RunningStack, type ServiceProcess } from '@churn/local-stack';
import { prettyLogLine } from '@churn/observability';
import type { CliContext } from '../cli-context';
import { startIntegrationSandbox, type SandboxWiring } from './integration-sandbox-env';
import { localAuth } from './local-auth';
import { ShutdownSignals } from './shutdown-signals';
import { startStackFromEnv } from './stack-env';
import { readCustomerIds, TELCO_CSV } from './telco-csv';

export interface UpOptions {
  readonly logs?: boolean;
  readonly services?: boolean;
  /** Extra environment for every service (the demo sets its own label delay, for instance). */
  readonly serviceEnv?: Record<string, string>;
  /** Local Slack/SMTP/Salesforce/HubSpot for the integrations env does not configure, these customers seeded in the CRMs. */
  readonly sandbox?: { readonly customerIds: readonly string[] };
  /** Empty local broker and Postgres first (never a cluster or database named in env). */
  readonly fresh?: boolean;
}

export interface RunningPlatform {
  readonly stack: RunningStack;
  readonly services: readonly ServiceProcess[];
  readonly sandbox?: SandboxWiring;
  /** The dashboard's sign-in token of this run, when `churn up` generated the secret (env had none). */
  readonly tokenFile?: string;
  stop(): Promise<void>;
}

/** Kafka + Postgres (unless given), then the five services, each awaited until /health/ready answers 200. */
export async function bringUp(context: CliContext, options: UpOptions = {}): Promise<RunningPlatform> {
  const { logger } = context;
  const started = Date.now();
  const stack = await startStackFromEnv(context, 'dev', options.fresh);
  const services: ServiceProcess[] = [];
  let sandbox: SandboxWiring | undefined;
  let tokenFile: string | undefined;
  const stop = async () => {
    logger.info('stopping services');
    await Promise.all(services.map((service) => stopService(service, logger)));
    await sandbox?.stop();
    logger.info('stopping Kafka and Postgres');
    await stack.stop();
  };
  try {
    if (options.services !== false) {
      if (options.sandbox) {
        sandbox = await startIntegrationSandbox(context.env, options.sandbox.customerIds);
        logger.info({ sandboxed: sandbox.sandboxed, real: sandbox.real, outbox: sandbox.sandbox.outboxUrl }, 'integration sandbox started');
      }
      const auth = await localAuth(context.env, stack.dataName);
      tokenFile = auth.tokenFile;
      const env = {
        ...auth.serviceEnv,
        // The services' links to each other follow CHURN_PORT_OFFSET (unless env names them).
        ALERTING_URL: context.env['ALERTING_URL'] || `http://127.0.0.1:${servicePort('alerting')}`,
        CRM_SYNC_URL: context.env['CRM_SYNC_URL'] || `http://127.0.0.1:${servicePort('crm-sync')}`,
        DASHBOARD_URL: context.env['DASHBOARD_URL'] || `http://127.0.0.1:${servicePort('monitoring')}/`,
        ...sandbox?.serviceEnv,
        ...options.serviceEnv,
        KAFKA_BROKERS: stack.kafkaBrokers,
        DATABASE_URL: stack.databaseUrl,
      };
      const echo = options.logs && (context.logFormat === 'pretty' ? prettyLogLine() : true);
      for (const { name } of SERVICES) services.push(spawnService(name, env, { echo }));
      await Promise.all(services.map((service) => waitUntilReady(service)));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  logger.info({ seconds: Math.round((Date.now() - started) / 100) / 10 }, 'platform is up');
  return { stack, services, sandbox, tokenFile, stop };
}

export function printEndpoints(platform: RunningPlatform): void {
  const lines = [
    '',
    `  Kafka      ${platform.stack.kafkaBrokers}`,
    `  Postgres   ${platform.stack.databaseUrl.replace(/\/\/([^:]+):[^@]+@/, '//$1:***@')}`,
    ...platform.services.map((s) => `  ${s.name.padEnd(10)} http://127.0.0.1:${s.port}  (/metrics, /health/ready; logs: ${s.logFile})`),
    ...sandboxLines(platform),
    ...(platform.tokenFile
      ? [`  token      an agent token for this run (12 h), for scripts (CHURN_TOKEN) and the dashboard's token dialog: ${platform.tokenFile}`]
      : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Where the sandbox's messages can be seen, and which integrations talk to real services instead. */
export function sandboxLines(platform: RunningPlatform): string[] {
  const wiring = platform.sandbox;
  if (!wiring) return [];
  const monitoring = platform.services.find((s) => s.name === 'monitoring');
  return [
    `  sandbox    ${wiring.sandboxed.length ? wiring.sandboxed.join(', ') : 'none'} to local stand-ins; see ${monitoring ? `http://127.0.0.1:${monitoring.port}/sandbox.html` : `${wiring.sandbox.outboxUrl}/outbox`}` +
      (wiring.real.length ? `; real: ${wiring.real.join(', ')}` : ''),
    ...(wiring.openIdProvider && monitoring
      ? [
          `  sign-in    http://127.0.0.1:${monitoring.port}/ through the local OpenID provider (${wiring.openIdProvider.issuer}): agent / agent-demo or admin / admin-demo`,
        ]
      : []),
  ];
}

/** Keeps the platform running until Ctrl-C or SIGTERM (at once when one came already), then stops everything in order. */
export async function runUntilSignal(platform: RunningPlatform, context: CliContext, signals: ShutdownSignals): Promise<void> {
  for (const service of platform.services) {
    service.child.once('exit', (code, signal) => {
      if (!signals.stopRequested) context.logger.error({ service: service.name, code, signal }, `service exited unexpectedly; see ${service.logFile}`);
    });
  }
  await signals.whenRequested();
  await platform.stop().catch((error: unknown) => context.logger.error({ err: error }, 'error while stopping'));
}

export function registerUpCommand(program: Command, context: CliContext): void {
  program
    .command('up')
    .description('start the local Kafka broker, Postgres and the five services; Ctrl-C stops them cleanly')
    .option('--logs', 'stream the services\u2019 logs to this terminal (readable lines; JSON when not a terminal or LOG_FORMAT=json)')
    .option('--no-services', 'start only Kafka and Postgres (topics and schema included)')
    .option('--sandbox', 'local Slack, SMTP, Salesforce and HubSpot for the integrations env does not configure (the Telco customers seeded in the CRMs)')
    .action(async (options: { logs?: boolean; services?: boolean; sandbox?: boolean }) => {
      const signals = new ShutdownSignals(context.logger);
      const platform = await bringUp(context, {
        logs: options.logs,
        services: options.services,
        sandbox: options.sandbox ? { customerIds: await readCustomerIds(TELCO_CSV) } : undefined,
      });
      if (!signals.stopRequested) {
        printEndpoints(platform);
        process.stdout.write('Press Ctrl-C to stop.\n');
      }
      await runUntilSignal(platform, context, signals);
    });
}
