import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { MultiBar, Presets } from 'cli-progress';
import { rocAuc } from '@churn/analytics';
import { outcomeLabelWindowEnvSchema, parseConfig } from '@churn/config';
import { Database } from '@churn/db';
import { LabelWindowRepository } from '@churn/monitoring-data';
import { PlatformSummaryRepository, type RiskLevelSummary } from '../platform-summary/platform-summary.repository';
import { modelMetricsAnswerSchema, roiAnswerSchema } from '@churn/contracts';
import { createMetricsRegistry } from '@churn/observability';
import { REPO_ROOT } from '@churn/local-stack';
import type { Outbox } from '@churn/sandbox';
import { parseTelcoCsv } from '@churn/telco-replay';
import type { CliContext } from '../cli-context';
import { emailDemoReport, type DemoReport } from './demo-report';
import { modelCardFigures, type ModelCardFigures } from './model-card-figures';
import { readCustomerIds } from './telco-csv';
import { ShutdownSignals, StopRequested } from './shutdown-signals';
import { bringUp, printEndpoints, runUntilSignal, sandboxLines, type RunningPlatform } from './up.command';
import { waitForDownstream } from './consumer-catch-up';
import { runSaasDemo, SAAS_DEMO_TRAINER_CONFIG, type SaasDemoOptions } from './saas-demo';
import { formatSaasSummary } from './saas-demo-summary';
import { streamEqualsBatch } from './stream-batch-check';

export interface DemoOptions {
  readonly input: string;
  readonly rate?: string;
  readonly fast?: boolean;
  readonly exit?: boolean;
  readonly timeout: string;
  /** commander's `--no-sandbox`: false means every integration uses what env configures (or is disabled). */
  readonly sandbox: boolean;
  /** Keep the local stack's data of earlier runs (the replay is then deduplicated: nothing new is scored). */
  readonly keepData?: boolean;
}

export interface DemoSummary {
  readonly customers: number;
  readonly scored: number;
  readonly byLevel: readonly RiskLevelSummary[];
  readonly revenueAtRisk: number;
  readonly programmeCost: number;
  readonly alerts: number;
  /** Alerts alerting resolved because the customer churned (cancelled). */
  readonly alertsResolvedByChurn: number;
  readonly outcomes: number;
  /** Computed here from Postgres (latest champion prediction before each outcome). */
  readonly rocAuc: number | undefined;
  /** What the monitoring service reports for the same customers, when it answers. */
  readonly monitoring: MonitoringFigures | undefined;
  /** What the local Slack, SMTP and CRM stand-ins received (with --no-sandbox: undefined). */
  readonly sandbox: Outbox['totals'] | undefined;
  /** The served model's own held-out figure, and whether the replayed customers are its training data. */
  readonly modelCard: ModelCardFigures | undefined;
  /** The day's retention report, e-mailed to the sandbox (undefined without the sandbox's SMTP or a token of the demo's). */
  readonly report?: DemoReport | undefined;
}

export interface MonitoringFigures {
  readonly rocAuc: number | null;
  readonly roi: {
    readonly revenueSaved: number;
    readonly netBenefit: number;
    readonly roiMultiple: number | null;
    readonly basis: string;
    readonly successRate: number;
  };
}

/**
 * `churn demo`: the platform up, the Telco customers replayed through it as events — the churned ones
 * then cancelled, once scored, so that ingest derives their churn — the label windows of the others
 * closed (churned:false), live counters while it works, and a summary read back from Postgres. No
 * outcome feed: every outcome is derived from the event stream.
 */
export async function runDemo(
  context: CliContext,
  options: DemoOptions,
  signals: ShutdownSignals,
): Promise<{ platform: RunningPlatform; summary: DemoSummary }> {
  // Replayed labels are observed one day after each customer's last event: judge them by the
  // prediction on that last event (no label delay), as the trainer's offline figure does.
  const input = path.resolve(REPO_ROOT, options.input);
  const customerIds = await readCustomerIds(input);
  const customers = customerIds.length;
  const startedAt = new Date();
  const churners = parseTelcoCsv(fs.readFileSync(input)).filter((row) => row.Churn === 'Yes').length;
  // The replay's event ids are deterministic, so a second run on the same data would be deduplicated
  // end to end (correctly, and to no one's enlightenment): the demo starts the local stack empty.
  const platform = await bringUp(context, {
    fresh: !options.keepData,
    serviceEnv: { MONITORING_LABEL_DELAY_DAYS: '0' },
    sandbox: options.sandbox ? { customerIds } : undefined,
  });
  const replayStop = new AbortController();
  try {
    // A Ctrl-C while the demo works stops it, the replay child included.
    const stopped = signals.whenRequested().then(() => {
      throw new StopRequested();
    });
    stopped.catch(() => undefined);
    if (signals.stopRequested) throw new StopRequested();
    const db = new Database(
      { url: platform.stack.databaseUrl, poolSize: 2, applicationName: 'churn-demo' },
      context.logger,
      createMetricsRegistry('churn-demo'),
    );
    const summaries = new PlatformSummaryRepository();
    try {
      const replay = replayInChild(context, platform, input, options, replayStop.signal);
      await Promise.race([watchProgress(db, summaries, { customers, churners }, replay, Number(options.timeout) * 1000, !options.fast), stopped]);
      // Scored is not yet alerted, pushed and judged: the summary waits for those groups to catch up.
      await Promise.race([
        waitForDownstream(context, platform, options.fast ? ['alerting', 'crm-sync'] : ['alerting', 'crm-sync', 'monitoring'], 120_000),
        stopped,
      ]);
      // Every churn is stored: the others' label windows (OUTCOME_LABEL_WINDOW_DAYS after their last
      // prediction, long past) close now as churned:false — what the scheduled job does.
      if (!options.fast) await closeLabelWindows(context, db);
      const monitoringService = platform.services.find((service) => service.name === 'monitoring');
      const monitoring = monitoringService ? await monitoringFigures(`http://127.0.0.1:${monitoringService.port}`, context) : undefined;
      const report = await emailDemoReport(context, platform, startedAt);
      const sandbox = platform.sandbox ? (await platform.sandbox.sandbox.outbox(1)).totals : undefined;
      const summary = { ...(await summarize(db, summaries, customers)), monitoring, sandbox, report, modelCard: modelCardFigures(context.env, input) };
      return { platform, summary };
    } finally {
      await db.close();
    }
  } catch (error) {
    // A replay still publishing would retry against the stopped broker until kafkajs gave up.
    replayStop.abort();
    await platform.stop();
    throw error;
  }
}

function replayInChild(context: CliContext, platform: RunningPlatform, input: string, options: DemoOptions, stop: AbortSignal): Promise<void> {
  const args = [path.join(REPO_ROOT, 'apps', 'cli', 'dist', 'main.js'), 'replay', '--input', input, '--cancellations', '--wait-seconds', options.timeout];
  if (options.rate) args.push('--rate', options.rate);
  const child = spawn(process.execPath, args, {
    env: { ...context.env, KAFKA_BROKERS: platform.stack.kafkaBrokers, DATABASE_URL: platform.stack.databaseUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
    signal: stop,
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`replay exited with code ${code}`))));
  });
}

/** The label-window job over the demo's data, at the wall clock (the replay's windows closed long ago). */
async function closeLabelWindows(context: CliContext, db: Database): Promise<void> {
  const { OUTCOME_LABEL_WINDOW_DAYS } = parseConfig(outcomeLabelWindowEnvSchema, context.env);
  const closed = await db.transaction((tx) => new LabelWindowRepository().close(tx, new Date(), OUTCOME_LABEL_WINDOW_DAYS));
  context.logger.info({ window_days: OUTCOME_LABEL_WINDOW_DAYS, ...closed }, 'label windows closed');
}

/**
 * Until every customer is scored and — unless `--fast` — every churned customer's cancellation has
 * become a stored outcome (the customers who stay get theirs when their label windows close, after).
 */
async function watchProgress(
  db: Database,
  summaries: PlatformSummaryRepository,
  { customers, churners }: { customers: number; churners: number },
  replay: Promise<void>,
  timeoutMs: number,
  waitForOutcomes: boolean,
): Promise<void> {
  let replayDone = false;
  let replayError: unknown;
  replay.then(
    () => (replayDone = true),
    (error: unknown) => (replayError = error),
  );
  // noTTYOutput: in a log (CI, a pipe) the bars still print, every few seconds, instead of garbling.
  const bars = new MultiBar(
    { format: ' {name} {bar} {value}/{total} {extra}', hideCursor: true, clearOnComplete: false, noTTYOutput: true, notTTYSchedule: 5000 },
    Presets.shades_grey,
  );
  const scoredBar = bars.create(customers, 0, { name: 'customers scored ', extra: '' });
  const outcomesBar = bars.create(churners, 0, { name: 'churns derived   ', extra: '' });
  const started = Date.now();
  let lastScored = 0;
  let lastTime = started;
  try {
    for (;;) {
      if (replayError) throw replayError;
      const [scored, alerts, outcomes] = await Promise.all([summaries.countScoredCustomers(db), summaries.countAlerts(db), summaries.countOutcomes(db)]);
      const now = Date.now();
      const perSecond = Math.round(((scored - lastScored) * 1000) / Math.max(1, now - lastTime));
      lastScored = scored;
      lastTime = now;
      scoredBar.update(scored, { extra: `| ${perSecond} customers/s | ${alerts} alerts` });
      outcomesBar.update(outcomes, { extra: '' });
      const scoringDone = scored >= customers;
      if (replayDone && scoringDone && (!waitForOutcomes || outcomes >= churners)) return;
      if (now - started > timeoutMs) throw new Error(`demo did not finish within ${timeoutMs / 1000} s (scored ${scored}/${customers}, outcomes ${outcomes})`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    bars.stop();
  }
}

/** The dashboard's own figures (refreshed now), so the summary and the dashboard say the same. */
async function monitoringFigures(baseUrl: string, context: CliContext): Promise<MonitoringFigures | undefined> {
  try {
    const get = async (path: string) => {
      const response = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(30_000) });
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      return (await response.json()) as unknown;
    };
    const quality = modelMetricsAnswerSchema.parse(await get('/v1/metrics/model?window=all&role=champion&refresh=true'));
    const roi = roiAnswerSchema.parse(await get('/v1/roi?window=30d'));
    return {
      rocAuc: quality.models[0]?.windows.all?.overall?.roc_auc ?? null,
      roi: {
        revenueSaved: roi.overall.revenue_saved,
        netBenefit: roi.overall.net_benefit,
        roiMultiple: roi.overall.roi_multiple,
        basis: roi.overall.basis,
        successRate: roi.assumptions.retention_success_rate,
      },
    };
  } catch (error) {
    context.logger.warn({ err: error }, 'monitoring figures unavailable; the summary shows what Postgres holds');
    return undefined;
  }
}

async function summarize(
  db: Database,
  summaries: PlatformSummaryRepository,
  customers: number,
): Promise<Omit<DemoSummary, 'monitoring' | 'sandbox' | 'modelCard'>> {
  const [scored, byLevel, alerts, alertsResolvedByChurn, outcomes, pairs] = await Promise.all([
    summaries.countScoredCustomers(db),
    summaries.riskDistribution(db),
    summaries.countAlerts(db),
    summaries.countAlertsResolvedByChurn(db),
    summaries.countOutcomes(db),
    summaries.scoredOutcomes(db),
  ]);
  return {
    customers,
    scored,
    byLevel,
    revenueAtRisk: byLevel.reduce((sum, level) => sum + level.revenueAtRisk, 0),
    programmeCost: byLevel.reduce((sum, level) => sum + level.interventionCost, 0),
    alerts,
    alertsResolvedByChurn,
    outcomes,
    rocAuc: rocAuc(pairs.map((p) => ({ score: p.churnProbability, label: p.churned }))),
  };
}

export function formatSummary(summary: DemoSummary, platform: RunningPlatform): string {
  const money = (value: number) => `$${Math.round(value).toLocaleString('en-US')}`;
  const order = ['critical', 'high', 'medium', 'low'];
  const levels = [...summary.byLevel].sort((a, b) => order.indexOf(a.riskLevel) - order.indexOf(b.riskLevel));
  const lines = [
    '',
    'Churn Radar demo — summary',
    `  customers replayed      ${summary.customers.toLocaleString('en-US')}`,
    `  customers scored        ${summary.scored.toLocaleString('en-US')}`,
    ...levels.map(
      (l) =>
        `    ${l.riskLevel.padEnd(9)} ${String(l.customers).padStart(6)}  (${((100 * l.customers) / Math.max(1, summary.scored)).toFixed(1)}%)  revenue at risk ${money(l.revenueAtRisk)}`,
    ),
    `  revenue at risk         ${money(summary.revenueAtRisk)} (monthly charges × 12, all scored customers)`,
    `  programme cost          ${money(summary.programmeCost)} (recommended interventions)`,
    `  alerts raised           ${summary.alerts.toLocaleString('en-US')} (${summary.alertsResolvedByChurn.toLocaleString('en-US')} resolved: the customer cancelled)`,
    `  outcomes derived        ${summary.outcomes.toLocaleString('en-US')} (churn from cancellations, not churned when a label window closed)`,
    `  model ROC-AUC           ${summary.rocAuc === undefined ? 'n/a (no outcomes yet)' : summary.rocAuc.toFixed(4)} on the replayed outcomes` +
      (summary.monitoring?.rocAuc != null ? ` (monitoring: ${summary.monitoring.rocAuc.toFixed(4)})` : ''),
    ...modelCardLines(summary.modelCard),
    ...(summary.monitoring
      ? [
          `  revenue saved           ${money(summary.monitoring.roi.revenueSaved)} (${summary.monitoring.roi.basis === 'measured' ? 'measured by the experiment' : `estimate at a ${Math.round(summary.monitoring.roi.successRate * 100)}% retention success rate`})`,
          `  net benefit             ${money(summary.monitoring.roi.netBenefit)}`,
          `  ROI multiple            ${summary.monitoring.roi.roiMultiple === null ? 'n/a' : `${summary.monitoring.roi.roiMultiple.toFixed(2)}x`} (net benefit / programme cost)`,
        ]
      : []),
    ...(summary.sandbox
      ? [
          `  sent so far             ${summary.sandbox.slack_messages} Slack messages, ${summary.sandbox.emails} e-mails, ` +
            `${summary.sandbox.salesforce_score_writes + summary.sandbox.hubspot_score_writes} CRM score writes, ${summary.sandbox.salesforce_tasks + summary.sandbox.hubspot_tasks} CRM tasks (sandbox; still draining)`,
        ]
      : []),
    ...(summary.report ? [`  report e-mailed         ${summary.report.attachments.join(' and ')} to ${summary.report.recipients} (sandbox outbox)`] : []),
    '',
    ...platform.services.map(
      (s) =>
        `  ${s.name.padEnd(10)} http://127.0.0.1:${s.port}  (metrics: /metrics${s.name === 'scorer' ? ', API docs: /docs' : ''}${s.name === 'monitoring' ? ', dashboard: /' : ''})`,
    ),
    ...sandboxLines(platform),
    '',
  ];
  return lines.join('\n');
}

/**
 * Replaying the training file scores the customers the model was fitted on, so the demo's figure is
 * in-sample and flatters the model; the card's holdout figure is the one to expect on new customers.
 */
function modelCardLines(card: ModelCardFigures | undefined): string[] {
  if (!card) return [];
  return [
    card.replayIsTrainingData
      ? `                          in-sample: the replayed customers are the model's training data (${card.trainingFile})`
      : `                          the replayed file is not the model's training data (${card.trainingFile})`,
    `  held-out ROC-AUC        ${card.holdoutRocAuc.toFixed(4)} on ${card.holdoutRows.toLocaleString('en-US')} customers kept out of training (model card of ${card.version})`,
  ];
}

/** The datasets `churn demo` replays: the bundled Telco customers, or the SYNTHETIC SaaS business it generates. */
const DATASETS = ['telco', 'saas'] as const;

export function registerDemoCommand(program: Command, context: CliContext): void {
  program
    .command('demo')
    .description(
      'up, then replay the bundled Telco customers and their outcomes (or, with --dataset saas, a generated SYNTHETIC SaaS business), show progress, print a summary',
    )
    .option('--dataset <name>', `what to replay: ${DATASETS.join(' or ')}`, 'telco')
    .option('--input <csv>', 'telco: customers to replay', 'data/telco/train.csv')
    .option('--rate <n>', 'telco: throttle the replay to N events per second')
    .option('--fast', 'telco: do not wait for the outcomes to be stored before the summary')
    .option('--customers <n>', 'saas: customers to generate', '500')
    .option('--seed <n>', 'saas: seed of the generator (same seed, same business)', '17')
    .option(
      '--trainer-config <yaml>',
      "saas: trainer config (the small, fast one by default; the trainer's default takes minutes more)",
      SAAS_DEMO_TRAINER_CONFIG,
    )
    .option('--exit', 'stop the platform after the summary instead of running until Ctrl-C')
    .option('--timeout <seconds>', 'give up when the replay has not been scored by then', '600')
    .option('--keep-data', 'keep the local Kafka and Postgres data of earlier runs (by default the demo starts them empty)')
    .option('--no-sandbox', 'no local Slack/SMTP/Salesforce/HubSpot: integrations use what env configures, or are disabled')
    .action(async (options: DemoOptions & SaasDemoOptions & { dataset: string }) => {
      if (!(DATASETS as readonly string[]).includes(options.dataset)) throw new Error(`--dataset must be one of ${DATASETS.join(', ')}`);
      const signals = new ShutdownSignals(context.logger);
      let platform: RunningPlatform;
      try {
        if (options.dataset === 'saas') {
          const result = await runSaasDemo(context, options, signals);
          platform = result.platform;
          process.stdout.write(`${formatSaasSummary(result.summary, platform)}\n`);
          if (!streamEqualsBatch(result.summary.streamBatch) || result.summary.deadLetters > 0) process.exitCode = 1;
        } else {
          const result = await runDemo(context, options, signals);
          platform = result.platform;
          process.stdout.write(`${formatSummary(result.summary, platform)}\n`);
        }
      } catch (error) {
        if (error instanceof StopRequested) return;
        throw error;
      }
      if (options.exit) {
        await platform.stop();
        return;
      }
      if (!signals.stopRequested) {
        printEndpoints(platform);
        process.stdout.write('The platform keeps running. Press Ctrl-C to stop.\n');
      }
      await runUntilSignal(platform, context, signals);
    });
}
