import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@churn/observability';
import { SERVICE_INPUTS, SERVICES, spawnService, stopService, waitUntilReady, type ServiceName, type ServiceProcess } from '@churn/local-stack';
import { FakeHubSpot, FakeSalesforce, FakeSlackServer, FakeSmtpServer, testInfra, truncateTopics, uniqueId } from '@churn/testing';

/** Fake credentials: token-like on purpose, so the secrets-in-logs check has something to find. */
export const CHAOS_SECRETS = {
  AUTH_JWT_SECRET: 'chaos-auth-secret-7f3a9c2e4b6d8f0a1c3e5b7d9f1a3c5e',
  SALESFORCE_CLIENT_SECRET: 'sf-client-secret-Zq81mVt0pLw3',
  SALESFORCE_REFRESH_TOKEN: 'sf-refresh-5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJo7Xw',
  HUBSPOT_ACCESS_TOKEN: 'pat-na1-6c1d0f7e-chaos-hubspot-token-93b2',
  SMTP_PASSWORD: 'smtp-pass-Kx92hQ7wLz',
} as const;
const SF_CLIENT_ID = '3MVG9chaos.client.id';

/** What each service's consumer group reads: quiescence is lag 0 on all of them. */
export const CONSUMED = SERVICE_INPUTS;

export interface ChaosPlatform {
  readonly groupPrefix: string;
  readonly logDir: string;
  readonly slack: FakeSlackServer;
  readonly smtp: FakeSmtpServer;
  readonly salesforce: FakeSalesforce;
  readonly hubspot: FakeHubSpot;
  service(name: ServiceName): ServiceProcess;
  url(name: ServiceName): string;
  /** kill -9, then the same service again on the same port and consumer group. */
  crashAndRestart(name: ServiceName): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The five built services as processes (as `churn up` runs them), wired to local Slack, SMTP,
 * Salesforce and HubSpot fakes, with a consumer-group prefix of their own. `slot` keeps the HTTP
 * ports of the suite's spec files apart. Every topic the services read is emptied first, so groups
 * (which start from the beginning) see only this spec's traffic.
 */
export async function startChaosPlatform(slot: number, extraEnv: Record<string, string> = {}): Promise<ChaosPlatform> {
  const logger = createLogger({ service: 'chaos', level: 'silent' });
  await truncateTopics([...new Set(Object.values(CONSUMED).flat())]);
  const slack = await FakeSlackServer.start({ perSecond: 50 });
  const smtp = await FakeSmtpServer.start('alerts', CHAOS_SECRETS.SMTP_PASSWORD);
  const salesforce = new FakeSalesforce({ refreshToken: CHAOS_SECRETS.SALESFORCE_REFRESH_TOKEN, clientId: SF_CLIENT_ID });
  const hubspot = new FakeHubSpot({ accessToken: CHAOS_SECRETS.HUBSPOT_ACCESS_TOKEN, idProperty: 'churn_customer_id' });
  await salesforce.start();
  await hubspot.start();
  const groupPrefix = uniqueId('chaos');
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), `churn-${groupPrefix}-`));
  const { kafkaBrokers, databaseUrl } = testInfra();
  const base = Number(process.env['CHURN_TEST_SERVICE_PORT_BASE'] ?? 13000) + 100 + slot * 10;
  const portOf = (name: ServiceName) => base + SERVICES.findIndex((s) => s.name === name);
  const env: Record<string, string> = {
    KAFKA_BROKERS: kafkaBrokers,
    DATABASE_URL: databaseUrl,
    KAFKA_GROUP_PREFIX: groupPrefix,
    // info, not error: the secrets-in-logs check needs the lines a real deployment writes.
    LOG_LEVEL: 'info',
    // Rows a drain had claimed when Postgres went away wait for their lease to end before another drain
    // takes them: 20 s here instead of the default 120, so a restart mid-drain settles well within the
    // scenarios' quiescence timeout (the path is the same).
    CRM_CLAIM_LEASE_SECONDS: '20',
    AUTH_JWT_SECRET: CHAOS_SECRETS.AUTH_JWT_SECRET,
    SLACK_WEBHOOK_URL: slack.url,
    SLACK_MAX_MESSAGES_PER_SECOND: '50',
    SMTP_URL: smtp.url,
    ALERT_EMAIL_TO: 'retention@example.com',
    SALESFORCE_LOGIN_URL: salesforce.loginUrl,
    SALESFORCE_CLIENT_ID: SF_CLIENT_ID,
    SALESFORCE_CLIENT_SECRET: CHAOS_SECRETS.SALESFORCE_CLIENT_SECRET,
    SALESFORCE_REFRESH_TOKEN: CHAOS_SECRETS.SALESFORCE_REFRESH_TOKEN,
    HUBSPOT_ACCESS_TOKEN: CHAOS_SECRETS.HUBSPOT_ACCESS_TOKEN,
    HUBSPOT_BASE_PATH: hubspot.url,
    // Short back-offs so that an outage of a few seconds is over within the scenario.
    CRM_DRAIN_INTERVAL_MS: '200',
    CRM_RETRY_BASE_MS: '200',
    CRM_RETRY_MAX_MS: '1000',
    CRM_RATE_LIMIT_WAIT_MS: '300',
    SALESFORCE_REQUEST_LIMIT_WAIT_MS: '300',
    // The fakes have no burst limit: pacing HubSpot calls would only stretch the scenarios.
    HUBSPOT_BURST_REQUESTS: '1000',
    HUBSPOT_BURST_WINDOW_MS: '1000',
    CRM_BREAKER_RESET_MS: '1000',
    CRM_CALL_TIMEOUT_MS: '5000',
    NOTIFY_BACKOFF_BASE_MS: '200',
    NOTIFY_BACKOFF_MAX_MS: '1000',
    // Monitoring forwards the queue, acknowledgements and model changes to these services: this platform's instances.
    ALERTING_URL: `http://127.0.0.1:${portOf('alerting')}`,
    CRM_SYNC_URL: `http://127.0.0.1:${portOf('crm-sync')}`,
    SCORER_URL: `http://127.0.0.1:${portOf('scorer')}`,
    ...extraEnv,
  };
  const running = new Map<ServiceName, ServiceProcess>();
  const launch = (name: ServiceName) => running.set(name, spawnService(name, env, { port: portOf(name), logDir })).get(name)!;
  for (const { name } of SERVICES) launch(name);
  await Promise.all([...running.values()].map((s) => waitUntilReady(s, 90_000)));

  return {
    groupPrefix,
    logDir,
    slack,
    smtp,
    salesforce,
    hubspot,
    service: (name) => running.get(name)!,
    url: (name) => `http://127.0.0.1:${portOf(name)}`,
    async crashAndRestart(name) {
      await kill9(running.get(name)!);
      await waitUntilReady(launch(name), 90_000);
    },
    async stop() {
      await Promise.all([...running.values()].map((s) => stopService(s, logger)));
      await Promise.allSettled([slack.stop(), smtp.stop(), salesforce.stop(), hubspot.stop()]);
    },
  };
}

/** SIGKILL by the pid we spawned: no shutdown hook runs, the batch in flight is lost uncommitted. */
export async function kill9(service: ServiceProcess): Promise<void> {
  const child = service.child;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/**
 * The customers exist in both CRMs before the sync, as in production (the CRM is the system of
 * record). Without that, a task can reach Salesforce before the first score upsert has created the
 * Account, and it is parked as NOT_FOUND (seen in the first crash run; docs/resilience.md).
 */
export function seedCrms(platform: ChaosPlatform, ids: readonly string[]): void {
  platform.salesforce.seed('Account', 'Customer_Id__c', ids);
  platform.hubspot.seed('contacts', ids);
}
