import { randomBytes } from 'node:crypto';
import { FakeHttpServer, type FakeRequest, type FakeResponse } from './fake-http.server';
import { FakeHubSpot } from './crm/fake-hubspot';
import { FakeSalesforce } from './crm/fake-salesforce';
import { FakeSlackServer } from './notifications/fake-slack.server';
import { FakeSmtpServer } from './notifications/fake-smtp.server';
import { buildOutbox } from './outbox';

export type SandboxIntegration = 'slack' | 'email' | 'salesforce' | 'hubspot';

export interface IntegrationSandboxOptions {
  /** Customers that exist in both CRMs before the sync, as in a real org (HubSpot updates only existing contacts). */
  readonly customerIds?: readonly string[];
  /** Slack's own rate for incoming webhooks (about one message a second); alerting paces itself to SLACK_MAX_MESSAGES_PER_SECOND. */
  readonly slackMessagesPerSecond?: number;
}

interface SandboxCredentials {
  readonly salesforceRefreshToken: string;
  readonly salesforceClientSecret: string;
  readonly hubspotAccessToken: string;
}

const SALESFORCE_CLIENT_ID = 'churn-radar-sandbox';
const HUBSPOT_ID_PROPERTY = 'churn_customer_id';
const OUTBOX_DEFAULT_LIMIT = 100;
const OUTBOX_MAX_LIMIT = 1000;

/**
 * Local stand-ins for Slack, an SMTP server, Salesforce and HubSpot — each speaking its real
 * protocol, so alerting and crm-sync run their production code paths against them — plus a small
 * HTTP "outbox" that lists what they received (`GET /outbox?limit=N`, JSON). `churn demo` starts one
 * so that a user without credentials sees what would have been sent. The credentials are random per
 * start: token-shaped, never real, and never needed outside this process's children.
 */
export class IntegrationSandbox {
  private readonly startedAt = Date.now();
  private readonly outboxServer = new FakeHttpServer((request) => this.serveOutbox(request));

  private constructor(
    private readonly credentials: SandboxCredentials,
    readonly slack: FakeSlackServer,
    readonly smtp: FakeSmtpServer,
    readonly salesforce: FakeSalesforce,
    readonly hubspot: FakeHubSpot,
  ) {}

  static async start(options: IntegrationSandboxOptions = {}): Promise<IntegrationSandbox> {
    const random = () => randomBytes(12).toString('hex');
    const credentials: SandboxCredentials = {
      salesforceRefreshToken: `sandbox-refresh-${random()}`,
      salesforceClientSecret: `sandbox-secret-${random()}`,
      hubspotAccessToken: `pat-sandbox-${random()}`,
    };
    const [slack, smtp] = await Promise.all([
      FakeSlackServer.start({ perSecond: options.slackMessagesPerSecond ?? 1 }),
      FakeSmtpServer.start('churn-radar', random()),
    ]);
    const salesforce = new FakeSalesforce({
      refreshToken: credentials.salesforceRefreshToken,
      clientSecret: credentials.salesforceClientSecret,
      clientId: SALESFORCE_CLIENT_ID,
    });
    const hubspot = new FakeHubSpot({ accessToken: credentials.hubspotAccessToken, idProperty: HUBSPOT_ID_PROPERTY });
    const sandbox = new IntegrationSandbox(credentials, slack, smtp, salesforce, hubspot);
    await Promise.all([salesforce.start(), hubspot.start(), sandbox.outboxServer.start()]);
    if (options.customerIds?.length) {
      salesforce.seed('Account', 'Customer_Id__c', options.customerIds);
      hubspot.seed('contacts', options.customerIds);
    }
    return sandbox;
  }

  /** Base URL of the outbox listing (monitoring's MONITORING_SANDBOX_URL). */
  get outboxUrl(): string {
    return this.outboxServer.url;
  }

  /** The environment that points one integration of alerting or crm-sync at this sandbox. */
  envFor(integration: SandboxIntegration): Record<string, string> {
    switch (integration) {
      case 'slack':
        return { SLACK_WEBHOOK_URL: this.slack.url };
      case 'email':
        // ALERT_* for alerting's alert mails, REPORT_* for monitoring's report mails: one SMTP server.
        return {
          SMTP_URL: this.smtp.url,
          ALERT_EMAIL_TO: 'retention-team@sandbox.invalid',
          ALERT_EMAIL_FROM: 'Churn Radar <churn-radar@sandbox.invalid>',
          REPORT_EMAIL_TO: 'retention-lead@sandbox.invalid',
          REPORT_EMAIL_FROM: 'Churn Radar reports <churn-radar@sandbox.invalid>',
        };
      case 'salesforce':
        // The login host only: the instance comes with the token, as with a real org.
        return {
          SALESFORCE_LOGIN_URL: this.salesforce.loginUrl,
          SALESFORCE_CLIENT_ID: SALESFORCE_CLIENT_ID,
          SALESFORCE_CLIENT_SECRET: this.credentials.salesforceClientSecret,
          SALESFORCE_REFRESH_TOKEN: this.credentials.salesforceRefreshToken,
        };
      case 'hubspot':
        return { HUBSPOT_ACCESS_TOKEN: this.credentials.hubspotAccessToken, HUBSPOT_BASE_PATH: this.hubspot.url, HUBSPOT_ID_PROPERTY };
    }
  }

  outbox(limit = OUTBOX_DEFAULT_LIMIT) {
    return buildOutbox(
      {
        startedAt: this.startedAt,
        slack: this.slack.requests,
        mails: this.smtp.mails,
        salesforce: this.salesforce.writes,
        hubspot: this.hubspot.writes,
        hubspotTasks: this.hubspot.tasks,
      },
      limit,
    );
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.outboxServer.stop(), this.slack.stop(), this.smtp.stop(), this.salesforce.stop(), this.hubspot.stop()]);
  }

  private async serveOutbox(request: FakeRequest): Promise<FakeResponse> {
    if (request.method !== 'GET') return { status: 405, body: { message: 'only GET' } };
    if (request.path === '/health') return { status: 200, body: { status: 'ok' } };
    if (request.path !== '/outbox') return { status: 404, body: { message: `no ${request.path}; try GET /outbox?limit=100` } };
    const raw = request.query.get('limit');
    const limit = raw === null ? OUTBOX_DEFAULT_LIMIT : Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > OUTBOX_MAX_LIMIT) {
      return { status: 400, body: { message: `limit must be an integer from 1 to ${OUTBOX_MAX_LIMIT}`, field: 'limit' } };
    }
    return { status: 200, body: await this.outbox(limit) };
  }
}
