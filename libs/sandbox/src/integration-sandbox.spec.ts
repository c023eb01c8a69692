import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@hubspot/api-client';
import { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from '@hubspot/api-client/lib/codegen/crm/properties';
import { Connection, OAuth2 } from 'jsforce';
import nodemailer from 'nodemailer';
import { IntegrationSandbox, type Outbox } from './index';

/**
 * The sandbox as alerting and crm-sync meet it: the real client libraries (fetch for the Slack
 * webhook, nodemailer, jsforce, @hubspot/api-client) configured only from `envFor(…)`, and the
 * outbox listing what each received.
 */
describe('IntegrationSandbox', () => {
  let sandbox: IntegrationSandbox;
  before(async () => {
    sandbox = await IntegrationSandbox.start({ customerIds: ['C-1', 'C-2'], slackMessagesPerSecond: 50 });
  });
  after(() => sandbox.stop());

  const outbox = async (query = ''): Promise<{ status: number; body: Outbox & { field?: string } }> => {
    const response = await fetch(`${sandbox.outboxUrl}/outbox${query}`);
    return { status: response.status, body: (await response.json()) as Outbox & { field?: string } };
  };

  it('lists a Slack message with the readable lines of its blocks', async () => {
    const { SLACK_WEBHOOK_URL } = sandbox.envFor('slack');
    const payload = {
      text: 'Critical churn risk: customer C-1, score 91/100',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Critical churn risk: C-1' } },
        { type: 'section', fields: [{ type: 'mrkdwn', text: '*Risk score*\n91/100' }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'alert alrt-0123456789abcdef01234567' }] },
      ],
    };
    const response = await fetch(SLACK_WEBHOOK_URL!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    assert.equal(response.status, 200);
    const { body } = await outbox();
    assert.equal(body.totals.slack_messages, 1);
    assert.deepEqual(body.slack[0]!.lines, ['Critical churn risk: C-1', '*Risk score*\n91/100', 'alert alrt-0123456789abcdef01234567']);
    assert.deepEqual(body.slack[0]!.alert_ids, ['alrt-0123456789abcdef01234567']);
  });

  it('lists an e-mail decoded (subject and text), sent with the credentials of SMTP_URL', async () => {
    const env = sandbox.envFor('email');
    const transport = nodemailer.createTransport(env.SMTP_URL!);
    await transport.sendMail({
      from: env.ALERT_EMAIL_FROM,
      to: env.ALERT_EMAIL_TO,
      subject: '[Churn Radar] CRITICAL churn risk: C-2 — ünïcode',
      text: 'Offer a 12-month contract.\nalert alrt-aaaaaaaaaaaaaaaaaaaaaaaa',
    });
    transport.close();
    const { body } = await outbox();
    assert.equal(body.totals.emails, 1);
    assert.equal(body.email[0]!.subject, '[Churn Radar] CRITICAL churn risk: C-2 — ünïcode');
    assert.match(body.email[0]!.text, /Offer a 12-month contract\./);
    assert.deepEqual(body.email[0]!.to, [env.ALERT_EMAIL_TO]);
    assert.deepEqual(body.email[0]!.attachments, []);
  });

  it('lists a report e-mail to REPORT_EMAIL_TO with its attachments named and sized', async () => {
    const env = sandbox.envFor('email');
    const transport = nodemailer.createTransport(env.SMTP_URL!);
    const pdf = Buffer.from('%PDF-1.7 sandbox spec');
    await transport.sendMail({
      from: env.REPORT_EMAIL_FROM,
      to: env.REPORT_EMAIL_TO,
      subject: '[Churn Radar] Retention report 2026-03-01 to 2026-03-08',
      text: 'net benefit: $520',
      attachments: [{ filename: 'churn-report_2026-03-01_2026-03-08.pdf', contentType: 'application/pdf', content: pdf }],
    });
    transport.close();
    const { body } = await outbox();
    assert.deepEqual(body.email[0]!.to, [env.REPORT_EMAIL_TO]);
    assert.deepEqual(body.email[0]!.attachments, [{ filename: 'churn-report_2026-03-01_2026-03-08.pdf', content_type: 'application/pdf', bytes: pdf.length }]);
  });

  it('lists Salesforce upserts through jsforce (refresh-token login) and HubSpot batch updates and tasks', async () => {
    const sf = sandbox.envFor('salesforce');
    // Signed in at the login host; the token response names the instance (another host, as with a real org).
    const oauth2 = new OAuth2({ clientId: sf.SALESFORCE_CLIENT_ID, clientSecret: sf.SALESFORCE_CLIENT_SECRET, loginUrl: sf.SALESFORCE_LOGIN_URL });
    const token = await oauth2.refreshToken(sf.SALESFORCE_REFRESH_TOKEN!);
    assert.notEqual(token.instance_url, sf.SALESFORCE_LOGIN_URL);
    const connection = new Connection({ instanceUrl: token.instance_url, accessToken: token.access_token, version: '62.0' });
    const saved = (await connection
      .sobject('Account')
      .upsert([{ Customer_Id__c: 'C-1', Churn_Risk_Score__c: 91 }], 'Customer_Id__c', { allOrNone: false })) as unknown as { success: boolean }[];
    assert.equal(saved[0]!.success, true);

    const hs = sandbox.envFor('hubspot');
    const client = new Client({ accessToken: hs.HUBSPOT_ACCESS_TOKEN, basePath: hs.HUBSPOT_BASE_PATH, numberOfApiCallRetries: 0 });
    await client.crm.properties.coreApi.create('contacts', {
      name: hs.HUBSPOT_ID_PROPERTY!,
      label: 'Churn Radar customer id',
      type: PropertyCreateTypeEnum.String,
      fieldType: PropertyCreateFieldTypeEnum.Text,
      groupName: 'contactinformation',
      hasUniqueValue: true,
    });
    await client.crm.properties.coreApi.create('contacts', {
      name: 'churn_risk_score',
      label: 'Churn risk score',
      type: PropertyCreateTypeEnum.Number,
      fieldType: PropertyCreateFieldTypeEnum.Number,
      groupName: 'contactinformation',
    });
    await client.crm.contacts.batchApi.update({ inputs: [{ id: 'C-2', idProperty: hs.HUBSPOT_ID_PROPERTY, properties: { churn_risk_score: '64' } }] });
    await client.crm.objects.tasks.basicApi.create({ properties: { hs_task_subject: 'Call C-2', hs_timestamp: new Date().toISOString() }, associations: [] });

    const { body } = await outbox();
    assert.equal(body.totals.salesforce_score_writes, 1);
    assert.equal(body.totals.hubspot_score_writes, 1);
    assert.equal(body.totals.hubspot_tasks, 1);
    const written = body.crm.map((w) => `${w.system}/${w.kind}/${w.key}`).sort();
    assert.deepEqual(written, ['hubspot/score/C-2', `hubspot/task/${body.crm.find((w) => w.kind === 'task')!.key}`, 'salesforce/score/C-1'].sort());
    assert.equal(body.crm.find((w) => w.system === 'salesforce')!.fields['Churn_Risk_Score__c'], 91);
  });

  it('refuses a bad limit with the field named, and caps each list at the limit', async () => {
    const bad = await outbox('?limit=0');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'limit');
    const one = await outbox('?limit=1');
    assert.equal(one.status, 200);
    assert.equal(one.body.crm.length, 1);
    assert.equal(one.body.totals.hubspot_tasks + one.body.totals.hubspot_score_writes + one.body.totals.salesforce_score_writes, 3);
  });
});
