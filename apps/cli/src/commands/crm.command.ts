import type { Command } from 'commander';
import { databaseEnvSchema, kafkaEnvSchema, parseConfig } from '@churn/config';
import {
  backfillSalesforce,
  createCrmGateways,
  CrmIntegrationControl,
  crmEnvCheckedSchema,
  crmMetrics,
  CrmReadback,
  readbackLeaseSeconds,
  SalesforceGateway,
  salesforceSettings,
} from '@churn/crm';
import { createKafka, TopicProducer } from '@churn/kafka';
import { CrmOutboxRepository, type CrmTarget } from '@churn/crm-sync-data';
import { Database, runMigrations } from '@churn/db';
import { createMetricsRegistry } from '@churn/observability';
import type { CliContext } from '../cli-context';

const TARGETS: readonly CrmTarget[] = ['salesforce', 'hubspot'];

async function withDatabase<T>(context: CliContext, work: (db: Database) => Promise<T>): Promise<T> {
  const { DATABASE_URL } = parseConfig(databaseEnvSchema, context.env);
  await runMigrations(DATABASE_URL, context.logger);
  const db = new Database({ url: DATABASE_URL, poolSize: 2, applicationName: 'churn-cli-crm' }, context.logger, createMetricsRegistry('churn-cli'));
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

function targetOption(value: string | undefined): CrmTarget | undefined {
  if (value === undefined) return undefined;
  if (!TARGETS.includes(value as CrmTarget)) throw new Error(`--target must be one of ${TARGETS.join(', ')}`);
  return value as CrmTarget;
}

export function registerCrmCommand(program: Command, context: CliContext): void {
  const crm = program.command('crm').description('CRM sync: backfill scores, re-drive parked writes, read back completed tasks, outbox status');

  crm
    .command('backfill')
    .description('push the newest score of every customer (control arm excluded) in bulk: Salesforce Bulk API 2.0')
    .requiredOption('--target <crm>', 'salesforce')
    .option('--job-size <n>', 'rows per Bulk API ingest job', '10000')
    .option('--poll-timeout <seconds>', 'how long to wait for one job', '600')
    .option('--dry-run', 'read and count, send nothing')
    .action(async (options: { target: string; jobSize: string; pollTimeout: string; dryRun?: boolean }) => {
      if (options.target !== 'salesforce') throw new Error('backfill supports --target salesforce (HubSpot scores are kept current by crm-sync)');
      const jobSize = Number(options.jobSize);
      if (!(jobSize >= 1 && jobSize <= 150_000_000)) throw new Error('--job-size must be a positive number');
      const settings = salesforceSettings(parseConfig(crmEnvCheckedSchema, context.env));
      if ('disabled' in settings) throw new Error(`Salesforce is not configured: ${settings.disabled}`);
      const result = await withDatabase(context, (db) =>
        backfillSalesforce(db, new SalesforceGateway(settings, context.logger), context.logger, {
          jobSize,
          pollIntervalMs: 2000,
          pollTimeoutMs: Number(options.pollTimeout) * 1000,
          dryRun: Boolean(options.dryRun),
        }),
      );
      process.stdout.write(`customers: ${result.customers}, upserted: ${result.succeeded}, failed: ${result.failed.length}, jobs: ${result.jobs}\n`);
      for (const f of result.failed.slice(0, 50)) process.stdout.write(`failed\t${f.customerId}\t${f.error}\n`);
      if (result.failed.length > 0) process.exitCode = 2;
    });

  crm
    .command('retry')
    .description('re-drive parked CRM writes (after fixing what the dead letter names): back to pending with a fresh retry budget')
    .option('--target <crm>', 'only this CRM (salesforce, hubspot)')
    .option('--id <ids...>', 'only these outbox row ids')
    .action(async (options: { target?: string; id?: string[] }) => {
      const target = targetOption(options.target);
      const count = await withDatabase(context, (db) => new CrmOutboxRepository().redriveParked(db, { target, ids: options.id }));
      process.stdout.write(`re-queued ${count} parked write(s); a running crm-sync pushes them\n`);
    });

  crm
    .command('readback')
    .description(
      'read back now the retention tasks completed in each configured CRM since the last read, and publish them as interventions (what crm-sync does every CRM_READBACK_INTERVAL_SECONDS)',
    )
    .option('--target <crm>', 'only this CRM (salesforce, hubspot)')
    .action(async (options: { target?: string }) => {
      const target = targetOption(options.target);
      const env = parseConfig(crmEnvCheckedSchema, context.env);
      const metrics = crmMetrics(createMetricsRegistry('churn-cli'));
      const gateways = createCrmGateways(env, context.logger, metrics).filter((g) => target === undefined || g.target === target);
      if (gateways.length === 0)
        throw new Error(`no CRM configured${target ? ` for --target ${target}` : ''}: set the Salesforce or HubSpot credentials (docs/crm-sync.md)`);
      const producer = new TopicProducer(
        createKafka(parseConfig(kafkaEnvSchema, context.env), 'churn-cli', context.logger),
        context.logger,
        createMetricsRegistry('churn-cli-kafka'),
      );
      await producer.connect();
      try {
        const summaries = await withDatabase(context, (db) =>
          Promise.all(
            gateways.map((gateway) =>
              new CrmReadback(
                db,
                gateway,
                new CrmIntegrationControl(db, gateway, metrics, context.logger, env.CRM_PAUSE_PROBE_INTERVAL_MS),
                producer,
                metrics,
                context.logger,
                {
                  intervalSeconds: env.CRM_READBACK_INTERVAL_SECONDS,
                  leaseSeconds: readbackLeaseSeconds(env.CRM_CALL_TIMEOUT_MS),
                },
              ).readOnce(true),
            ),
          ),
        );
        for (const s of summaries) {
          process.stdout
            .write(`${s.crm}	${s.skipped ? `not read: ${s.skipped === 'not_due' ? 'another instance is reading it' : s.skipped}` : `read ${s.read} completed task(s), recorded ${s.recorded}`}${s.error ? `	failed: ${s.error}` : ''}
`);
        }
        if (summaries.some((s) => s.error)) process.exitCode = 2;
      } finally {
        await producer.disconnect();
      }
    });

  crm
    .command('status')
    .description('outbox depth and the age of the oldest row, per CRM')
    .action(async () => {
      const rows = await withDatabase(context, (db) => new CrmOutboxRepository().depth(db));
      if (rows.length === 0) process.stdout.write('outbox empty: nothing pending or parked\n');
      for (const r of rows) process.stdout.write(`${r.target}\t${r.status}\t${r.n}\toldest ${Math.round(r.oldest_age_seconds ?? 0)} s\n`);
    });
}
