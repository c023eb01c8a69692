import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createLogger } from '@churn/observability';
import { startLocalStack, testPortOffset, wipeLocalStackData } from './local-stack';
import { REPO_ROOT } from './paths';
import { PostgresAccessError } from './postgres-system-user';
import { serveStackControl } from './stack-control';

/** Which specs a suite runs: integration specs, or the fault tests (docs/resilience.md). */
const SUITES = { integration: '.int.spec.js', chaos: '.chaos.spec.js' } as const;
type Suite = keyof typeof SUITES;

/**
 * Runs integration specs (`*.int.spec.js`) against a real Kafka broker and a real Postgres. Unless
 * KAFKA_BROKERS / DATABASE_URL name running ones, it starts a fresh test stack (its own ports and
 * data, wiped first so every run starts from nothing) and stops it afterwards.
 *   node libs/local-stack/dist/run-integration.js [--suite integration|chaos] [projectRoot ...]
 * `--suite chaos` runs `*.chaos.spec.js` instead and lets them kill and restart the broker and
 * Postgres it started (stack-control.ts).
 */
async function main(): Promise<number> {
  const logger = createLogger({ service: 'test-stack', level: process.env['TEST_LOG_LEVEL'] ?? 'warn' });
  const { suite, roots } = parseArgs(process.argv.slice(2));
  const projects = roots.length > 0 ? roots : [...listProjects('libs'), ...listProjects('apps')];
  const specs = projects.flatMap((root) => findSpecs(path.resolve(REPO_ROOT, root), SUITES[suite]));
  if (specs.length === 0) {
    process.stdout.write(`no ${suite} specs\n`);
    return 0;
  }
  const external = Boolean(process.env['KAFKA_BROKERS'] && process.env['DATABASE_URL']);
  if (!external) {
    wipeLocalStackData('test');
  }
  const started = Date.now();
  const stack = await startLocalStack({
    profile: 'test',
    kafkaBrokers: process.env['KAFKA_BROKERS'] || undefined,
    databaseUrl: process.env['DATABASE_URL'] || undefined,
    logger,
  });
  process.stdout.write(`test stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s (Kafka ${stack.kafkaBrokers})\n`);
  const control = suite === 'chaos' ? await serveStackControl(stack) : undefined;
  try {
    // Not spawnSync: the chaos suite's control endpoint is served by this process's event loop.
    const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...specs], {
      stdio: 'inherit',
      env: {
        ...process.env,
        KAFKA_BROKERS: stack.kafkaBrokers,
        DATABASE_URL: stack.databaseUrl,
        // Services that specs start as processes listen from here on (3001… stay free for `churn up`).
        CHURN_TEST_SERVICE_PORT_BASE: String(13000 + testPortOffset()),
        ...(control ? { CHURN_TEST_STACK_CONTROL_URL: control.url } : {}),
      },
    });
    return await new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  } finally {
    await control?.close();
    await stack.stop();
  }
}

function listProjects(dir: string): string[] {
  return fs
    .readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(dir, entry.name));
}

function parseArgs(args: string[]): { suite: Suite; roots: string[] } {
  const at = args.indexOf('--suite');
  if (at < 0) return { suite: 'integration', roots: args };
  const suite = args[at + 1];
  if (suite !== 'integration' && suite !== 'chaos') throw new Error(`--suite must be integration or chaos, not ${suite}`);
  return { suite, roots: args.filter((_, i) => i !== at && i !== at + 1) };
}

function findSpecs(projectRoot: string, suffix: string): string[] {
  const dist = path.join(projectRoot, 'dist');
  if (!fs.existsSync(dist)) return [];
  return fs
    .readdirSync(dist, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith(suffix))
    .sort()
    .map((file) => path.join(dist, file));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const reason = error instanceof PostgresAccessError ? error.message : ((error as Error)?.stack ?? String(error));
    process.stderr.write(`integration run failed: ${reason}\n`);
    process.exit(1);
  },
);
