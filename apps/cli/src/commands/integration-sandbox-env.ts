import { IntegrationSandbox, type SandboxIntegration } from '@churn/sandbox';

/** Which env key, when set, means the user has a real service for that integration. */
const REAL_SERVICE_KEY: Record<SandboxIntegration, string> = {
  slack: 'SLACK_WEBHOOK_URL',
  email: 'SMTP_URL',
  salesforce: 'SALESFORCE_CLIENT_ID',
  hubspot: 'HUBSPOT_ACCESS_TOKEN',
};

export interface SandboxWiring {
  readonly sandbox: IntegrationSandbox;
  /** For alerting, crm-sync and monitoring (MONITORING_SANDBOX_URL). */
  readonly serviceEnv: Record<string, string>;
  /** Integrations pointed at the sandbox; the others keep the real service configured in env. */
  readonly sandboxed: readonly SandboxIntegration[];
  readonly real: readonly SandboxIntegration[];
}

/**
 * Local Slack, SMTP, Salesforce and HubSpot for every integration the environment does not configure:
 * with real credentials in env, the services talk to the real service for that integration instead.
 * The customers are seeded into both CRMs first, as a real org holds them before any sync.
 */
export async function startIntegrationSandbox(env: NodeJS.ProcessEnv, customerIds: readonly string[]): Promise<SandboxWiring> {
  const sandbox = await IntegrationSandbox.start({ customerIds });
  const integrations = Object.keys(REAL_SERVICE_KEY) as SandboxIntegration[];
  const real = integrations.filter((i) => Boolean(env[REAL_SERVICE_KEY[i]]));
  const sandboxed = integrations.filter((i) => !real.includes(i));
  const serviceEnv = Object.assign({ MONITORING_SANDBOX_URL: sandbox.outboxUrl }, ...sandboxed.map((i) => sandbox.envFor(i))) as Record<string, string>;
  return { sandbox, serviceEnv, sandboxed, real };
}
