import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { Topics, TOPIC_SPECS, type CustomerEvent } from '@churn/contracts';
import { kafkaEnvSchema, parseConfig } from '@churn/config';
import { Database } from '@churn/db';
import { OutcomeRepository } from '@churn/monitoring-data';
import { loadFeatureSpec } from '@churn/feature-spec';
import { createKafka, TopicProducer } from '@churn/kafka';
import { createMetricsRegistry } from '@churn/observability';
import { REPO_ROOT, stateDir } from '@churn/local-stack';
import { EVENTS_FILE, SAAS_REFERENCE_TIME, SAAS_SPEC_PATH, tableFile, writeSaasDataset } from '@churn/saas-replay';
import { ModelRegistryDir } from '@churn/scoring';
import type { CliContext } from '../cli-context';
import { FeatureRescorer, rescoreSourceEventId } from '../rescore/feature-rescorer';
import { newVersionSince, versionsIn } from '../train/registry-versions';
import { runTrainer } from '../train/trainer-process';
import { waitForDownstream } from './consumer-catch-up';
import { modelQuality, type SaasModelQuality } from './saas-demo-card';
import { scoreCsv } from './score.command';
import { compareStreamWithBatch, type StreamBatchResult } from './stream-batch-check';
import { ShutdownSignals, StopRequested } from './shutdown-signals';
import { bringUp, type RunningPlatform } from './up.command';

export interface SaasDemoOptions {
  readonly customers: string;
  readonly seed: string;
  /** Trainer config; the small one of the test suite by default, so that the demo trains in a minute or two. */
  readonly trainerConfig: string;
  readonly timeout: string;
  readonly sandbox: boolean;
  readonly keepData?: boolean;
}

export interface SaasDemoSummary {
  readonly customers: number;
  readonly events: number;
  readonly snapshot: string;
  readonly tableRows: number;
  readonly churners: number;
  readonly trainerConfig: string;
  readonly model: SaasModelQuality;
  readonly rescored: number;
  /** churned:true outcomes ingest derived from the replay's cancellations, as monitoring stored them. */
  readonly derivedChurns: number;
  readonly streamBatch: StreamBatchResult;
  readonly deadLetters: number;
}

/** The label window the generator uses: the table's features are as of this many days before its data ends. */
const SNAPSHOT_DAYS_BEFORE_END = 90;
/** The trainer's small config (fewer trees and folds): the demo trains in a minute or two, its figures a little below the default config's. */
/** How far beyond its training range (× the range) the demo's scorer accepts a number (the scorer's default is 0.25). */
export const SAAS_DEMO_RANGE_TOLERANCE = 10;
export const SAAS_DEMO_TRAINER_CONFIG = 'apps/trainer/config/test.yaml';
const EVENTS_PER_SEND = 500;

/**
 * `churn demo --dataset saas`: the synthetic SaaS business generated, a model trained on its
 * point-in-time table, the platform up with that spec and model, the events replayed, every customer
 * rescored as of the table's snapshot, and the streamed predictions checked against batch scoring of
 * the same table (stream = batch).
 */
export async function runSaasDemo(
  context: CliContext,
  options: SaasDemoOptions,
  signals: ShutdownSignals,
): Promise<{ platform: RunningPlatform; summary: SaasDemoSummary }> {
  const customers = positiveInteger('--customers', options.customers);
  const seed = positiveInteger('--seed', options.seed);
  const home = path.join(stateDir(), 'demo-saas');
  const dataDir = path.join(home, 'data');
  const registryDir = path.join(home, 'models');
  const spec = loadFeatureSpec(SAAS_SPEC_PATH);
  const snapshot = new Date(Date.parse(SAAS_REFERENCE_TIME) - SNAPSHOT_DAYS_BEFORE_END * 86_400_000).toISOString();

  context.logger.info({ customers, seed, dataDir }, 'generating the SYNTHETIC SaaS business');
  const dataset = writeSaasDataset({
    outDir: dataDir,
    customers,
    seed,
    referenceTime: SAAS_REFERENCE_TIME,
    specPaths: [SAAS_SPEC_PATH],
    snapshotDaysBeforeEnd: SNAPSHOT_DAYS_BEFORE_END,
  });
  const table = path.join(dataDir, tableFile(spec.name ?? 'saas'));
  const { rows: tableRows, churners } = dataset.tables[0]!;

  // A registry of the demo's own, emptied first: the scorer serves exactly the model trained here.
  fs.rmSync(registryDir, { recursive: true, force: true });
  fs.mkdirSync(registryDir, { recursive: true });
  const before = versionsIn(registryDir);
  const trainerConfig = path.resolve(REPO_ROOT, options.trainerConfig);
  const code = await runTrainer({
    spec,
    data: table,
    out: registryDir,
    activate: true,
    config: trainerConfig,
    skipShap: true,
    env: context.env,
    stdout: 'ignore',
  });
  const version = newVersionSince(registryDir, before);
  if (code !== 0 || !version) throw new SaasDemoError(`the trainer failed on ${table} (exit code ${code})`);
  const modelDir = new ModelRegistryDir(registryDir).dirOf(version);
  if (signals.stopRequested) throw new StopRequested();
  const events = readEvents(path.join(dataDir, EVENTS_FILE));

  const platform = await bringUp(context, {
    fresh: !options.keepData,
    serviceEnv: {
      FEATURE_SPEC_FILE: SAAS_SPEC_PATH,
      MODEL_REGISTRY_DIR: registryDir,
      MONITORING_LABEL_DELAY_DAYS: '0',
      // The replay streams two years of history: vectors of customers months before their cancellation
      // (after it they are not scored) reach days since the last login far beyond any active customer's at
      // the snapshot the model learned from. The default tolerance would dead-letter those vectors; the
      // rescore's are in range.
      FEATURE_RANGE_TOLERANCE: String(SAAS_DEMO_RANGE_TOLERANCE),
    },
    sandbox: options.sandbox ? { customerIds: [...new Set(events.map((e) => e.customer_id))] } : undefined,
  });
  try {
    const stopped = signals.whenRequested().then(() => {
      throw new StopRequested();
    });
    stopped.catch(() => undefined);
    const work = async (): Promise<SaasDemoSummary> => {
      const env = parseConfig(kafkaEnvSchema, { ...context.env, KAFKA_BROKERS: platform.stack.kafkaBrokers });
      const kafka = createKafka(env, 'churn-demo', context.logger);
      const producer = new TopicProducer(kafka, context.logger, createMetricsRegistry('churn-demo'));
      const db = new Database(
        { url: platform.stack.databaseUrl, poolSize: 2, applicationName: 'churn-demo-saas' },
        context.logger,
        createMetricsRegistry('churn-demo'),
      );
      await producer.connect();
      try {
        await replayEvents(producer, events);
        const timeoutMs = Number(options.timeout) * 1000;
        // The rescore reads the event log: every replayed event stored first.
        await waitForDownstream(context, platform, ['ingest'], timeoutMs);
        const rescore = await new FeatureRescorer(spec, db, producer, context.logger).run({ asOf: snapshot, batchSize: 500 });
        await waitForDownstream(context, platform, ['scorer', 'monitoring'], timeoutMs);
        const stream = await streamedPredictions(db, snapshot);
        const batch = await batchScores(context, table, modelDir, spec.customer_id.column);
        return {
          customers: dataset.customers,
          events: events.length,
          snapshot,
          tableRows,
          churners,
          trainerConfig: path.relative(REPO_ROOT, trainerConfig),
          model: modelQuality(modelDir),
          rescored: rescore.emitted,
          derivedChurns: await new OutcomeRepository().countBySource(db, 'cancellation'),
          streamBatch: compareStreamWithBatch(batch, stream),
          deadLetters: await deadLetterCount(kafka),
        };
      } finally {
        await producer.disconnect();
        await db.close();
      }
    };
    const summary = await Promise.race([work(), stopped]);
    return { platform, summary };
  } catch (error) {
    await platform.stop();
    throw error;
  }
}

/** The generated events (JSON Lines, in time order). */
function readEvents(file: string): CustomerEvent[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as CustomerEvent);
}

/** The events in order, keyed by customer as the Telco replay keys them. */
async function replayEvents(producer: TopicProducer, events: readonly CustomerEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += EVENTS_PER_SEND) {
    await producer.send(
      Topics.customerEvents,
      events.slice(i, i + EVENTS_PER_SEND).map((value) => ({ key: value.customer_id, value })),
    );
  }
}

/** The champion's stored predictions made from the rescore at `asOf`, by customer. */
async function streamedPredictions(db: Database, asOf: string): Promise<Map<string, number>> {
  const rows = await db.query<{ customer_id: string; churn_probability: number }>(
    'demo.streamed_predictions',
    `SELECT customer_id, churn_probability FROM predictions WHERE role = 'champion' AND starts_with(source_event_id, $1)`,
    [rescoreSourceEventId(asOf, '')],
  );
  return new Map(rows.map((row) => [row.customer_id, Number(row.churn_probability)]));
}

/** `churn score --model` of the table, in-process: each customer's churn probability. */
async function batchScores(context: CliContext, table: string, modelDir: string, idColumn: string): Promise<Map<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-demo-saas-'));
  try {
    const output = path.join(dir, 'scores.csv');
    await scoreCsv({ input: table, output, model: modelDir, explain: false }, context);
    const records = parse(fs.readFileSync(output), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    return new Map(records.filter((r) => r['error'] === '').map((r) => [r[idColumn]!, Number(r['churn_probability'])]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Messages on every dead-letter topic (the demo's stack starts empty, so all of them are this run's). */
async function deadLetterCount(kafka: ReturnType<typeof createKafka>): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let total = 0;
    for (const topic of TOPIC_SPECS.map((s) => s.name).filter((name) => name.endsWith('.dlq'))) {
      const offsets = await admin.fetchTopicOffsets(topic);
      total += offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    }
    return total;
  } finally {
    await admin.disconnect();
  }
}

function positiveInteger(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new SaasDemoError(`${name} must be a positive whole number`);
  return n;
}

/** The SaaS demo could not run (a bad option, the trainer failing). */
export class SaasDemoError extends Error {
  readonly code = 'SAAS_DEMO_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'SaasDemoError';
  }
}
