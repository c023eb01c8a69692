import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnService, stopService, waitUntilReady, type ServiceName, type ServiceProcess } from '@churn/local-stack';
import { createLogger } from '@churn/observability';
import { freeLoopbackPort, LocalOpenIdProvider, testInfra, uniqueId } from '@churn/testing';
import { REPO } from './telco-fixture';

/** The services a browser spec may start beside monitoring, which always runs (it serves the workspace). */
export type WorkspaceUpstream = 'scorer' | 'alerting';

export interface WorkspaceStackOptions {
  /** Names the stack's log folder, `.churn/test-results/<name>/logs` (emptied at start). */
  readonly name: string;
  /** Services started beside monitoring; monitoring's URL for any other points at a closed port (its reads answer 502). */
  readonly upstreams: readonly WorkspaceUpstream[];
  /** Sign-in through the local OpenID provider (default); false: monitoring asks for bearer tokens. */
  readonly oidc?: boolean;
  /** Copies of the active model the scorer's registry holds beside it, under these versions (challengers). */
  readonly extraModelVersions?: readonly string[];
  /** Variables added to (or overriding) a service's environment. */
  readonly env?: Partial<Record<'monitoring' | WorkspaceUpstream, Record<string, string>>>;
}

export interface WorkspaceStack {
  readonly monitoringUrl: string;
  /** The running upstreams' URLs. */
  readonly urls: Readonly<Partial<Record<WorkspaceUpstream, string>>>;
  /** The local OpenID provider (demo people agent/agent-demo, admin/admin-demo); null with `oidc: false`. */
  readonly provider: LocalOpenIdProvider | null;
  /** AUTH_JWT_SECRET of every service: `signTestToken(stack.jwtSecret, …)` makes a script's bearer token. */
  readonly jwtSecret: string;
  /** Stops one service now (its URL then answers nothing: monitoring's forwards answer 502). */
  stopService(name: 'monitoring' | WorkspaceUpstream): Promise<void>;
  /** Stops every service and the provider, and removes the copied registry. */
  stop(): Promise<void>;
}

const BUNDLE = path.join(REPO, 'apps', 'dashboard', 'dist', 'web', 'index.html');
const logger = createLogger({ service: 'workspace-stack', level: 'silent' });

/**
 * Monitoring serving the web workspace, with the upstreams a browser spec asks for, as separate
 * processes (`spawnService`, the built `dist/main.js`) on free loopback ports, on the test stack's
 * broker and Postgres (run-integration), each with its own consumer groups; and, unless told not to,
 * the local OpenID provider monitoring signs people in with. The scorer reads a copy of the active
 * model's registry entry (with `extraModelVersions`), polled every 500 ms, its stream off: a spec
 * scores through its API or publishes predictions itself. Logs: `.churn/test-results/<name>/logs`.
 */
export async function startWorkspaceStack(options: WorkspaceStackOptions): Promise<WorkspaceStack> {
  assert.ok(fs.existsSync(BUNDLE), `no dashboard bundle at ${BUNDLE}: run \`bash apps/dashboard/scripts/build-web.sh\` (bootstrap does)`);
  const { kafkaBrokers, databaseUrl } = testInfra();
  const jwtSecret = `workspace-stack-${uniqueId('secret')}-of-at-least-32-characters`;
  const logDir = path.join(REPO, '.churn', 'test-results', options.name, 'logs');
  fs.rmSync(logDir, { recursive: true, force: true });
  const activeModel = fs.readFileSync(path.join(REPO, 'models', 'active'), 'utf8').trim();
  const registryDir = options.upstreams.includes('scorer') ? copyRegistry(activeModel, options.extraModelVersions ?? []) : null;

  const ports = {
    monitoring: await freeLoopbackPort(),
    scorer: await freeLoopbackPort(),
    alerting: await freeLoopbackPort(),
    'crm-sync': await freeLoopbackPort(),
  };
  const urlOf = (name: keyof typeof ports) => `http://127.0.0.1:${ports[name]}`;
  const monitoringUrl = urlOf('monitoring');
  const provider = options.oidc === false ? null : await LocalOpenIdProvider.start({ redirectUri: `${monitoringUrl}/auth/callback` });
  const common = {
    KAFKA_BROKERS: kafkaBrokers,
    DATABASE_URL: databaseUrl,
    KAFKA_GROUP_PREFIX: uniqueId(options.name),
    LOG_LEVEL: 'warn',
    AUTH_JWT_SECRET: jwtSecret,
  };
  const envOf: Record<'monitoring' | WorkspaceUpstream, Record<string, string>> = {
    scorer: { MODEL_REGISTRY_DIR: registryDir ?? '', SCORER_STREAM_ENABLED: 'false', MODEL_POLL_INTERVAL_MS: '500' },
    alerting: {},
    monitoring: { SCORER_URL: urlOf('scorer'), ALERTING_URL: urlOf('alerting'), CRM_SYNC_URL: urlOf('crm-sync'), ...(provider?.monitoringEnv() ?? {}) },
  };

  const running = new Map<ServiceName, ServiceProcess>();
  const stopOne = async (name: ServiceName) => {
    const service = running.get(name);
    running.delete(name);
    if (service) await stopService(service, logger);
  };
  const stop = async () => {
    for (const name of [...running.keys()].reverse()) await stopOne(name);
    await provider?.stop();
    if (registryDir) fs.rmSync(registryDir, { recursive: true, force: true });
  };
  try {
    for (const name of [...options.upstreams, 'monitoring'] as const) {
      running.set(name, spawnService(name, { ...common, ...envOf[name], ...options.env?.[name] }, { port: ports[name], logDir }));
    }
    await Promise.all([...running.values()].map((s) => waitUntilReady(s)));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    monitoringUrl,
    urls: Object.fromEntries(options.upstreams.map((name) => [name, urlOf(name)])),
    provider,
    jwtSecret,
    stopService: stopOne,
    stop,
  };
}

/** A registry of the active model and copies of it under other versions (their model cards say so), `active` naming the first. */
function copyRegistry(active: string, extraVersions: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-workspace-registry-'));
  for (const version of [active, ...extraVersions]) {
    fs.cpSync(path.join(REPO, 'models', active), path.join(dir, version), { recursive: true });
    const cardFile = path.join(dir, version, 'model-card.json');
    fs.writeFileSync(cardFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(cardFile, 'utf8')), version }));
  }
  fs.writeFileSync(path.join(dir, 'active'), `${active}\n`);
  return dir;
}
