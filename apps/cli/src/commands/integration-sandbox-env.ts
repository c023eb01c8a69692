import { servicePort } from '@churn/local-stack';
import { IntegrationSandbox, LocalOpenIdProvider, type SandboxIntegration } from '@churn/sandbox';

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
  /** The local OpenID provider monitoring signs people in with; undefined when env configures a real one (OIDC_ISSUER_URL). */
  readonly openIdProvider: LocalOpenIdProvider | undefined;
  stop(): Promise<void>;
}

/**
 * Local Slack, SMTP, Salesforce and HubSpot for every integration the environment does not configure:
 * with real credentials in env, the services talk to the real service for that integration instead.
 * The customers are seeded into both CRMs first, as a real org holds them before any sync. Unless env
 * names an OpenID provider (OIDC_ISSUER_URL), a local one signs people in to monitoring's dashboard
 * (the demo agent and admin, README "Signing in").
 */
export async function startIntegrationSandbox(env: NodeJS.ProcessEnv, customerIds: readonly string[]): Promise<SandboxWiring> {
  const sandbox = await IntegrationSandbox.start({ customerIds });
  const integrations = Object.keys(REAL_SERVICE_KEY) as SandboxIntegration[];
  const real = integrations.filter((i) => Boolean(env[REAL_SERVICE_KEY[i]]));
  const sandboxed = integrations.filter((i) => !real.includes(i));
  const openIdProvider = env['OIDC_ISSUER_URL']
    ? undefined
    : await LocalOpenIdProvider.start({ redirectUri: `http://127.0.0.1:${servicePort('monitoring', env)}/auth/callback` });
  const serviceEnv = Object.assign(
    { MONITORING_SANDBOX_URL: sandbox.outboxUrl },
    openIdProvider?.monitoringEnv() ?? {},
    ...sandboxed.map((i) => sandbox.envFor(i)),
  ) as Record<string, string>;
  const stop = async () => {
    await Promise.allSettled([sandbox.stop(), openIdProvider?.stop()]);
  };
  return { sandbox, serviceEnv, sandboxed, real, openIdProvider, stop };
}
