import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { dashboardSummarySchema, modelRegistrySchema, sandboxOutboxSchema } from '@churn/contracts';
import { isPortOpen, REPO_ROOT, testPortOffset } from '@churn/local-stack';
import { eventually, IntegrationSandbox, until } from '@churn/testing';
import { readCustomerIds, TELCO_CSV } from '../commands/telco-csv';
import { parseReadmeCommands } from './readme-commands';

/**
 * The README, kept true: every command it shows is listed here with how this spec runs it, or why
 * it does not (with the spec or phase of `npm test` that does). A command added to the README
 * without an entry, or an entry whose command left the README, fails the first test.
 *
 * It runs `npm run demo` as a newcomer would, on its own ports (CHURN_PORT_OFFSET) and empty data,
 * checks the summary against the dashboard's API, then runs the other commands against that platform,
 * and stops it with Ctrl-C (SIGINT to the process group, as a terminal sends it).
 */
type Plan = { readonly run: string; readonly expect?: RegExp; readonly stdin?: string } | { readonly skip: string };

const AUTH_JWT_SECRET = 'readme-spec-secret-of-at-least-32-characters';
const OFFSET = Math.min(1000, testPortOffset() + 500);
const PORTS = { kafka: 9092 + OFFSET, postgres: 54329 + OFFSET, scorer: 3002 + OFFSET, monitoring: 3005 + OFFSET };
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-readme-'));
const TELCO_HEAD = path.join(TMP, 'in.csv');
const OUTCOMES_CSV = path.join(TMP, 'outcomes.csv');
const INTERVENTIONS_CSV = path.join(TMP, 'interventions.csv');
// A period around the demo's scoring: two days back to tomorrow (`to` may be in the future).
const REPORT_PERIOD = `--from ${new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10)} --to ${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}`;

const CONSOLE_PRODUCER =
  "java -cp '.churn/kafka/jars-4.4.0/*' org.apache.kafka.tools.ConsoleProducer --bootstrap-server 127.0.0.1:9092 --topic customer-events --property parse.key=true --property key.separator='|'";
const CONSOLE_LINE =
  'C-1|{"event_id":"e1","event_type":"customer.signed_up","customer_id":"C-1","occurred_at":"2024-01-15T10:00:00Z","schema_version":1,"payload":{"gender":"Female","senior_citizen":false,"partner":true,"dependents":false}}';

const PLANS: Record<string, Plan> = {
  'npm run demo': { skip: 'run by the "npm run demo" test below (it keeps running, so it is not a one-shot command)' },
  'npm test': { skip: 'this spec runs inside it' },
  [CONSOLE_PRODUCER]: { run: CONSOLE_PRODUCER, stdin: CONSOLE_LINE },
  [CONSOLE_LINE]: { skip: 'the line typed into the console producer above' },
  'bin/churn train': { skip: 'replaces models/active: the trainer phase of npm test trains, and retrain.int.spec runs it through the CLI' },
  'curl -X POST -H "Authorization: Bearer $ADMIN_TOKEN" http://127.0.0.1:3002/v1/models/<version>/shadow': {
    run: 'curl -sS -X POST -H "Authorization: Bearer $ADMIN_TOKEN" http://127.0.0.1:3002/v1/models/<version>/shadow',
    // The only registered version is the champion: the endpoint, the token and the guard work, and it refuses.
    expect: /MODEL_IS_CHAMPION/,
  },
  [`curl -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' -d '{"share": 0.1}' http://127.0.0.1:3002/v1/models/<version>/rollout`]:
    {
      run: `curl -sS -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' -d '{"share": 0.1}' http://127.0.0.1:3002/v1/models/<version>/rollout`,
      // As for shadow: the champion cannot be rolled out beside itself (scorer-rollout.int.spec rolls out a second version).
      expect: /MODEL_IS_CHAMPION/,
    },
  [`curl -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' -d '{"reason": "worse ROI than the champion"}' http://127.0.0.1:3002/v1/models/rollout/rollback`]:
    {
      run: `curl -sS -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' -d '{"reason": "worse ROI than the champion"}' http://127.0.0.1:3002/v1/models/rollout/rollback`,
      expect: /"rolled_back":null/,
    },
  'curl -X POST -H "Authorization: Bearer $ADMIN_TOKEN" http://127.0.0.1:3002/v1/models/<version>/activate': {
    run: 'curl -sS -X POST -H "Authorization: Bearer $ADMIN_TOKEN" http://127.0.0.1:3002/v1/models/<version>/activate',
    expect: /"role":"champion"/,
  },
  'bash scripts/bootstrap.sh': { run: 'bash scripts/bootstrap.sh' },
  'npm run lint': { skip: 'the lint phase of npm test (eslint, and ruff over the trainer)' },
  'node scripts/run-tests.mjs all unit': { skip: 'the unit phase of npm test' },
  'npm run test:integration': { skip: 'this spec runs inside it' },
  'node scripts/run-tests.mjs apps/ingest integration': { skip: 'part of the integration phase this spec runs in' },
  'npx nx run-many -t build': { skip: 'bootstrap builds the same projects with tsc -b (the first command of npm test)' },
  'bash scripts/validate-deploy.sh': { skip: 'the deploy phase of npm test' },
  'bin/churn up [--logs] [--no-services] [--sandbox]': { run: 'bin/churn up --no-services', expect: /Press Ctrl-C/ },
  'bin/churn demo [--rate N] [--fast] [--exit] [--no-sandbox] [--keep-data]': {
    run: 'bin/churn demo --help',
    expect: /--rate[\s\S]*--fast[\s\S]*--exit[\s\S]*--keep-data[\s\S]*--no-sandbox/,
  },
  'bin/churn demo --dataset saas [--customers N] [--seed S] [--exit]': { skip: 'demo-saas.int.spec runs it end to end on ports of its own' },
  'bin/churn replay --input data/telco/train.csv [--rate N] [--outcomes | --cancellations]': {
    run: 'bin/churn replay --input data/telco/train.csv --cancellations',
  },
  'bin/churn score --input IN.csv --output OUT.csv [--model DIR] [--segments DIR]': {
    run: `bin/churn score --input ${TELCO_HEAD} --output ${TMP}/out.csv --segments ${TMP}/segments`,
  },
  'bin/churn train [--spec FILE --data CSV] [--out DIR]': { skip: 'as bin/churn train above; train-score.int.spec trains a spec of its own through the CLI' },
  'bin/churn train --spec FILE --from-events [--label-delay-days N] [--min-rows N] [--out DIR]': {
    skip: 'replaces the active version of its registry; point-in-time-set.int.spec runs it through the CLI on a registry of its own',
  },
  'bin/churn spec infer --data CSV --id COLUMN --label COLUMN --out FILE': {
    run: `bin/churn spec infer --data data/telco/train.csv --id customerID --label Churn --out ${TMP}/spec.yaml`,
    expect: /wrote .*spec\.yaml: 19 attributes from 5634 customers/,
  },
  // After infer (entries run in this order): the draft it wrote.
  'bin/churn spec validate FILE': { run: `bin/churn spec validate ${TMP}/spec.yaml`, expect: /^valid: .*spec\.yaml[\s\S]*sha256 [0-9a-f]{64}/m },
  'bin/churn rescore [--as-of T]': { run: 'bin/churn rescore' },
  // After the demo: its label windows are closed already, so this one records nothing new.
  'bin/churn outcomes close-windows [--now T]': {
    run: 'bin/churn outcomes close-windows',
    expect: /label windows of 90 days closed at .*: \d+ due, 0 recorded not churned/,
  },
  'bin/churn retrain [--label-delay-days N] [--dry-run]': { run: 'bin/churn retrain --label-delay-days 0 --dry-run' },
  'bin/churn jobs worker': { skip: 'keeps running; jobs-worker.int.spec starts it, runs a rescore in it and reads its metrics' },
  // monitoring works the promotion-gate queue: with nothing in shadow the run ends as no_challenger.
  'bin/churn jobs run JOB [--param K=V]': { run: 'bin/churn jobs run promotion-gate', expect: /promotion-gate: run \S+ queued/ },
  'bin/churn jobs runs [--job NAME] [--status S] [--limit N]': { run: 'bin/churn jobs runs --limit 5' },
  'bin/churn dlq list --topic T [--code C] [--json]': { run: 'bin/churn dlq list --topic customer-events.dlq --json' },
  'bin/churn dlq replay --topic T [--code C] [--dry-run]': { run: 'bin/churn dlq replay --topic customer-events.dlq --dry-run' },
  // A Telco customer the demo scored (files written in before()); the token is CHURN_TOKEN's.
  'bin/churn outcomes import FILE': { run: `bin/churn outcomes import ${OUTCOMES_CSV}`, expect: /1 outcomes recorded, 0 already present/ },
  'bin/churn interventions import FILE': { run: `bin/churn interventions import ${INTERVENTIONS_CSV}`, expect: /1 interventions recorded, 0 already present/ },
  // Downloaded with CHURN_TOKEN, then e-mailed by monitoring to the sandbox's SMTP server (REPORT_EMAIL_TO).
  'bin/churn report --from D --to D [--format pdf|csv] [--out FILE] [--top N] [--email [--recipients LIST]]': {
    run: `bin/churn report ${REPORT_PERIOD} --format pdf --out ${TMP}/report.pdf --top 10 && bin/churn report ${REPORT_PERIOD} --email`,
    expect: /wrote .*report\.pdf \(\d+ bytes\)[\s\S]*e-mailed to retention-lead@sandbox\.invalid \(churn-report_.*\.pdf, churn-report_.*\.csv/,
  },
  'bin/churn crm backfill --target salesforce': { run: 'bin/churn crm backfill --target salesforce' },
  'bin/churn crm retry': { run: 'bin/churn crm retry' },
  // Its read of the sandbox CRMs is crm-churn-readback.int.spec's and crm-interventions.int.spec's subject.
  'bin/churn crm readback [--target T]': { run: 'bin/churn crm readback --help', expect: /read back now the retention tasks completed[\s\S]*--target/ },
  'bin/churn crm status': {
    run: 'bin/churn crm status',
    expect: /outbox empty: nothing pending or parked|^(salesforce|hubspot)\t\w+\t\d+\toldest \d+ s$/m,
  },
  'bin/churn db migrate': { run: 'bin/churn db migrate' },
  'bin/churn topics create [--replication-factor N]': { run: 'bin/churn topics create' },
};

/** README's ports and placeholders, for this spec's platform. */
function localise(command: string, version: string): string {
  return command
    .replace(/127\.0\.0\.1:9092/g, `127.0.0.1:${PORTS.kafka}`)
    .replace(/127\.0\.0\.1:3002/g, `127.0.0.1:${PORTS.scorer}`)
    .replace(/<version>/g, version);
}

interface Summary {
  scored: number;
  levels: Record<string, number>;
  alerts: number;
  alertsResolvedByChurn: number;
  rocAuc: string;
  monitoringRocAuc: string;
  inSample: boolean;
  heldOutRocAuc: string;
}

function parseSummary(text: string): Summary {
  const number = (label: string) => Number(new RegExp(`${label}\\s+([\\d,]+)`).exec(text)?.[1]?.replace(/,/g, '') ?? NaN);
  const levels = Object.fromEntries(
    ['critical', 'high', 'medium', 'low'].map((l) => [l, Number(new RegExp(`^\\s+${l}\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN)]),
  );
  const roc = /model ROC-AUC\s+([\d.]+) on the replayed outcomes \(monitoring: ([\d.]+)\)/.exec(text);
  return {
    scored: number('customers scored'),
    levels,
    alerts: number('alerts raised'),
    alertsResolvedByChurn: Number(/alerts raised\s+[\d,]+ \(([\d,]+) resolved/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN),
    rocAuc: roc?.[1] ?? '',
    monitoringRocAuc: roc?.[2] ?? '',
    inSample: /^\s+in-sample: the replayed customers are the model's training data \(data\/telco\/train\.csv\)$/m.test(text),
    heldOutRocAuc: /held-out ROC-AUC\s+([\d.]+) on [\d,]+ customers kept out of training/.exec(text)?.[1] ?? '',
  };
}

describe('README: the demo on a fresh stack, then every command the README shows', { timeout: 20 * 60_000 }, () => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHURN_PORT_OFFSET: String(OFFSET),
    KAFKA_BROKERS: '',
    DATABASE_URL: '',
    AUTH_JWT_SECRET,
    CHURN_QUIET: '1',
  };
  let demo: ChildProcess | undefined;
  let demoOutput = '';
  let demoExit: Promise<number | null>;
  let sandbox: IntegrationSandbox;

  before(async () => {
    const lines = fs.readFileSync(path.join(REPO_ROOT, 'data', 'telco', 'train.csv'), 'utf8').split('\n');
    fs.writeFileSync(TELCO_HEAD, `${lines.slice(0, 201).join('\n')}\n`);
    const customer = (await readCustomerIds(TELCO_CSV))[0]!;
    const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
    fs.writeFileSync(OUTCOMES_CSV, `customer_id,churned,observed_at\n${customer},false,${anHourAgo}\n`);
    fs.writeFileSync(INTERVENTIONS_CSV, `customer_id,performed_by,performed_at,action,cost\n${customer},readme-spec,${anHourAgo},retention call,25\n`);
    // `crm backfill` updates the demo's customers, which a real org holds already (an Account cannot be created without its Name).
    sandbox = await IntegrationSandbox.start({ customerIds: await readCustomerIds(TELCO_CSV) });
  });

  after(async () => {
    if (demo && demo.exitCode === null) {
      try {
        process.kill(-demo.pid!, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    }
    await sandbox?.stop();
    fs.rmSync(TMP, { recursive: true, force: true });
  });

  it('lists every command of the README, and only those', () => {
    const shown = parseReadmeCommands(fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8'));
    assert.deepEqual([...new Set(shown)].sort(), Object.keys(PLANS).sort());
  });

  it('npm run demo: reaches its summary, which agrees with the dashboard and the API; the platform keeps running', { timeout: 12 * 60_000 }, async () => {
    // Its own process group: Ctrl-C in a terminal signals the whole group.
    demo = spawn('npm', ['run', 'demo'], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    demo.stdout!.on('data', (chunk: Buffer) => (demoOutput += chunk.toString()));
    demo.stderr!.on('data', (chunk: Buffer) => (demoOutput += chunk.toString()));
    demoExit = new Promise((resolve) => demo!.once('exit', (code) => resolve(code)));
    const reached = await eventually(
      "the demo's summary or its exit",
      () => (demoOutput.includes('The platform keeps running') ? 'summary' : demo!.exitCode !== null ? 'exited' : undefined),
      {
        timeoutMs: 11 * 60_000,
        intervalMs: 1000,
      },
    ).catch((error: Error) => assert.fail(`no summary within 11 minutes (${error.message}):\n${demoOutput.slice(-3000)}`));
    assert.equal(reached, 'summary', `the demo exited early:\n${demoOutput.slice(-3000)}`);
    const summary = parseSummary(demoOutput);
    assert.equal(summary.scored, 5634, demoOutput.slice(-3000));
    assert.equal(summary.rocAuc, summary.monitoringRocAuc);
    // The replayed customers are the training data: the summary says so and shows the card's held-out figure.
    const card = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'models', fs.readFileSync(path.join(REPO_ROOT, 'models', 'active'), 'utf8').trim(), 'model-card.json'), 'utf8'),
    ) as {
      holdout_metrics: { roc_auc: number };
    };
    assert.ok(summary.inSample, `the summary does not say its ROC-AUC is in-sample:\n${demoOutput.slice(-3000)}`);
    assert.equal(summary.heldOutRocAuc, card.holdout_metrics.roc_auc.toFixed(4));

    const monitoring = `http://127.0.0.1:${PORTS.monitoring}`;
    const dashboard = dashboardSummarySchema.parse(await (await fetch(`${monitoring}/v1/dashboard`)).json());
    assert.deepEqual(dashboard.risk_distribution, {
      low: summary.levels['low'],
      medium: summary.levels['medium'],
      high: summary.levels['high'],
      critical: summary.levels['critical'],
    });
    assert.equal(dashboard.cards.customers_30d, summary.scored);
    // A customer's alerts are resolved when it cancels: the queue holds the others'.
    assert.equal(dashboard.cards.pending_alerts, summary.alerts - summary.alertsResolvedByChurn);
    assert.equal(dashboard.quality?.windows.all.overall.roc_auc?.toFixed(4), summary.rocAuc);
    // The sandbox received what alerting and crm-sync sent, and the dashboard's page lists it.
    // The outbox names customers: monitoring answers it to an agent's token only.
    const agentToken = await new SignJWT({ roles: ['agent'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('readme-spec')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(AUTH_JWT_SECRET));
    assert.equal((await fetch(`${monitoring}/v1/sandbox/outbox?limit=1`)).status, 401);
    const outbox = sandboxOutboxSchema.parse(
      await (await fetch(`${monitoring}/v1/sandbox/outbox?limit=1`, { headers: { authorization: `Bearer ${agentToken}` } })).json(),
    );
    assert.ok(
      outbox.totals.emails > 0 && outbox.totals.slack_messages > 0 && outbox.totals.salesforce_score_writes > 0 && outbox.totals.hubspot_tasks > 0,
      JSON.stringify(outbox.totals),
    );
    assert.equal((await fetch(`${monitoring}/sandbox.html`)).status, 200);
  });

  it('runs every other README command against that platform', { timeout: 8 * 60_000 }, async () => {
    assert.ok(demo && demo.exitCode === null, 'the demo platform is running');
    const models = modelRegistrySchema.parse(await (await fetch(`http://127.0.0.1:${PORTS.scorer}/v1/models`)).json());
    const version = models.models.find((m) => m.role === 'champion')!.version;
    const adminToken = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('readme-spec')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(AUTH_JWT_SECRET));
    const commandEnv: NodeJS.ProcessEnv = {
      ...env,
      KAFKA_BROKERS: `127.0.0.1:${PORTS.kafka}`,
      DATABASE_URL: `postgres://churn:churn@127.0.0.1:${PORTS.postgres}/churn`,
      ADMIN_TOKEN: adminToken,
      // `outcomes import` / `interventions import` (an admin may do what an agent may); MONITORING_URL follows CHURN_PORT_OFFSET.
      CHURN_TOKEN: adminToken,
      // `crm backfill` pushes to this spec's own local Salesforce.
      ...sandbox.envFor('salesforce'),
    };
    for (const [shown, plan] of Object.entries(PLANS)) {
      if ('skip' in plan) continue;
      const command = localise(plan.run, version);
      if (plan.run.startsWith('bin/churn up')) {
        await runUntil(command, commandEnv, plan.expect!);
        continue;
      }
      // Not spawnSync: the local Salesforce that `crm backfill` talks to runs in this process.
      const result = await run(command, commandEnv, plan.stdin);
      const output = result.output;
      assert.equal(result.status, 0, `README command \`${shown}\` (run as \`${command}\`) exited ${result.status}:\n${output.slice(-2000)}`);
      if (plan.expect) assert.match(output, plan.expect, `\`${command}\``);
    }
    // What the commands did, not only that they exited 0.
    assert.equal(fs.readFileSync(path.join(TMP, 'out.csv'), 'utf8').trim().split('\n').length, 201, 'one scored row per input row');
    assert.ok(fs.existsSync(path.join(TMP, 'segments', 'summary.json')));
    assert.equal(fs.readFileSync(path.join(TMP, 'report.pdf')).subarray(0, 5).toString('latin1'), '%PDF-', 'report wrote a PDF');
    assert.match(fs.readFileSync(path.join(TMP, 'spec.yaml'), 'utf8'), /^# A DRAFT feature spec/, 'spec infer wrote its draft');
    assert.ok(sandbox.salesforce.writes.length >= 5634, `backfill wrote ${sandbox.salesforce.writes.length} Salesforce records`);
  });

  it('Ctrl-C stops the demo and everything it started', { timeout: 2 * 60_000 }, async () => {
    assert.ok(demo);
    process.kill(-demo.pid!, 'SIGINT');
    await demoExit;
    for (const port of [PORTS.kafka, PORTS.postgres, PORTS.scorer, PORTS.monitoring]) {
      await waitUntilClosed(port, 60_000);
    }
  });
});

/** A command under bash in the repository, its stdout and stderr gathered as they come. */
function start(script: string, env: NodeJS.ProcessEnv, stdin = '') {
  const child = spawn('bash', ['-c', script], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const collected = { child, output: '', exited: new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))) };
  child.stdout!.on('data', (c: Buffer) => (collected.output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (collected.output += c.toString()));
  child.stdin!.end(stdin);
  return collected;
}

async function run(command: string, env: NodeJS.ProcessEnv, stdin?: string): Promise<{ status: number | null; output: string }> {
  const running = start(command, env, stdin ? `${stdin}\n` : '');
  const timer = setTimeout(() => running.child.kill('SIGKILL'), 5 * 60_000);
  const status = await running.exited;
  clearTimeout(timer);
  return { status, output: running.output };
}

/**
 * A command that keeps running (`churn up`): wait for its line, then Ctrl-C at once — delivered twice,
 * as a terminal (the whole process group) and `npm run` (forwarding to its child) do. It must still be
 * running to receive it (its "stopping" line), stop in order and exit 0 — not exit by itself after the
 * line, nor die of a signal.
 */
async function runUntil(command: string, env: NodeJS.ProcessEnv, line: RegExp): Promise<void> {
  const running = start(`exec ${command}`, env);
  const { child } = running;
  const reached = await eventually(
    `\`${command}\` to print ${line} or exit`,
    () => (line.test(running.output) ? 'line' : child.exitCode !== null ? 'exited' : undefined),
    120_000,
  ).catch((error: Error) => assert.fail(`\`${command}\` never printed ${line} (${error.message}):\n${running.output.slice(-2000)}`));
  assert.equal(reached, 'line', `\`${command}\` exited early:\n${running.output.slice(-2000)}`);
  child.kill('SIGINT');
  await new Promise((resolve) => setImmediate(resolve));
  child.kill('SIGINT');
  const code = await running.exited;
  assert.equal(code, 0, `\`${command}\` after Ctrl-C (exit ${code}, signal ${child.signalCode}):\n${running.output.slice(-2000)}`);
  assert.match(
    running.output,
    /"signal":"SIGINT","msg":"stopping"/,
    `\`${command}\` was not running any more when Ctrl-C came:\n${running.output.slice(-2000)}`,
  );
}

function waitUntilClosed(port: number, timeoutMs: number): Promise<void> {
  return until(`port ${port} to close after Ctrl-C`, async () => !(await isPortOpen(port)), { timeoutMs, intervalMs: 500 });
}
