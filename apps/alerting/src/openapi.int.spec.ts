import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as api from '@churn/contracts';
import { startService, type RunningService } from '@churn/service-kit';
import { assertEveryRouteDocumented, serviceTestEnv, waitUntilHttpReady, type DocumentedAnswer } from '@churn/testing';
import { AlertingModule } from './alerting.module';
import { alertingConfigSchema } from './config';
import { configureAlertingHttp } from './http-setup';

/** Every route of alerting and what it answers: a new route fails the spec until it is documented and listed here. */
const ROUTES: Record<string, DocumentedAnswer> = {
  'GET /metrics': 'file',
  'GET /health/live': api.healthReportSchema,
  'GET /health/ready': api.healthReportSchema,
  'GET /v1/alerts': api.alertQueuePageSchema,
  'POST /v1/alerts/bulk': api.bulkAnswerSchema,
  'POST /v1/alerts/{id}/assign': api.alertViewSchema,
  'GET /v1/alerts/{id}/history': api.alertHistorySchema,
  'GET /v1/alerts/rules': api.alertRulesAnswerSchema,
  'GET /v1/alerts/sla': api.slaAnswerSchema,
  'GET /v1/alerts/destinations': api.destinationsAnswerSchema,
  'POST /v1/alerts/destinations/{channel}/revive': api.reviveAnswerSchema,
  'POST /v1/alerts/digests/email': api.emailDigestAnswerSchema,
  'GET /v1/alerts/{id}': api.alertDetailSchema,
  'POST /v1/alerts/{id}/ack': api.alertViewSchema,
  'POST /v1/alerts/{id}/resolve': api.alertViewSchema,
};

describe("alerting's OpenAPI document", () => {
  let sut: RunningService;

  before(async () => {
    sut = await startService({
      name: 'alerting',
      configSchema: alertingConfigSchema,
      module: (c) => AlertingModule.register(c),
      configure: (app) => configureAlertingHttp(app),
      env: serviceTestEnv({ AUTH_JWT_SECRET: 'openapi-spec-secret-of-at-least-32-characters' }),
    });
    await waitUntilHttpReady(sut.url);
  });

  after(async () => {
    await sut?.close();
  });

  it('documents every route: its success body generated from the contract schema, its errors as problem+json', async () => {
    await assertEveryRouteDocumented(sut.url, ROUTES);
  });

  it('serves every route monitoring forwards to alerting', () => {
    assert.deepEqual(
      Object.values(api.ALERTING_ROUTES)
        .map((route) => route.key)
        .filter((key) => !(key in ROUTES)),
      [],
    );
  });

  it('answers what it documents: the SLA figures and the destinations parse with their contract schemas', async () => {
    api.slaAnswerSchema.parse(await (await fetch(`${sut.url}/v1/alerts/sla`)).json());
    api.destinationsAnswerSchema.parse(await (await fetch(`${sut.url}/v1/alerts/destinations`)).json());
    api.alertRulesAnswerSchema.parse(await (await fetch(`${sut.url}/v1/alerts/rules`)).json());
  });
});
