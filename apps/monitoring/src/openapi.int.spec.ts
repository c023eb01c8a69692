import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as api from '@churn/contracts';
import { healthReportSchema } from '@churn/contracts';
import type { RunningService } from '@churn/service-kit';
import { assertEveryRouteDocumented, type DocumentedAnswer } from '@churn/testing';
import { startMonitoring } from './monitoring-spec-fixtures';

/** Every route of monitoring and what it answers: a new route fails the spec until it is documented and listed here. */
const ROUTES: Record<string, DocumentedAnswer> = {
  'GET /metrics': 'file',
  'GET /health/live': healthReportSchema,
  'GET /health/ready': healthReportSchema,
  'GET /v1/session': api.sessionAnswerSchema,
  'GET /v1/metrics/model': api.modelMetricsAnswerSchema,
  'GET /v1/metrics/rollout': api.rolloutMetricsAnswerSchema,
  'GET /v1/metrics/roi/series': api.roiSeriesSchema,
  'GET /v1/roi': api.roiAnswerSchema,
  'GET /v1/drift': api.driftAnswerSchema,
  'GET /v1/experiments': api.experimentListSchema,
  'GET /v1/experiments/{name}': api.experimentReportSchema,
  'GET /v1/dashboard': api.dashboardSummarySchema,
  'GET /v1/dashboard/alerts': api.dashboardAlertQueueSchema,
  'GET /v1/customers': api.customerListPageSchema,
  'GET /v1/customers/filters': api.customerFilterOptionsSchema,
  'GET /v1/customers/{id}': api.customerPageSchema,
  'GET /v1/reports': 'file',
  'POST /v1/reports/email': api.reportEmailReceiptSchema,
  'GET /v1/jobs/runs': api.jobRunListSchema,
  'GET /v1/sandbox/outbox': api.sandboxOutboxSchema,
  'POST /v1/outcomes': api.recordsAnswerSchema,
  'POST /v1/interventions': api.recordsAnswerSchema,
  'POST /v1/outcomes/close-windows': api.labelWindowsAnswerSchema,
  'GET /v1/models': api.modelRegistrySchema,
  'POST /v1/models/rollout/rollback': api.modelRollbackAnswerSchema,
  'POST /v1/models/{version}/activate': api.modelAssignmentAnswerSchema,
  'POST /v1/models/{version}/rollout': api.modelRolloutAnswerSchema,
  'GET /v1/alerts': api.alertQueuePageSchema,
  'POST /v1/alerts/bulk': api.bulkAnswerSchema,
  'POST /v1/alerts/{id}/assign': api.alertViewSchema,
  'POST /v1/alerts/{id}/resolve': api.alertViewSchema,
  'POST /v1/alerts/{id}/acknowledge': api.alertViewSchema,
  'GET /v1/alerts/{id}/history': api.alertHistorySchema,
  'GET /v1/alerts/{id}': api.alertDetailSchema,
  'GET /v1/integrations': api.crmIntegrationListSchema,
  'POST /v1/integrations/{crm}/resume': api.crmResumeAnswerSchema,
  'GET /alerts/{id}': 'redirect',
};

describe("monitoring's OpenAPI document", () => {
  let sut: RunningService;

  before(async () => {
    sut = await startMonitoring({ MONITORING_REFRESH_INTERVAL_MS: '600000', AUTH_JWT_SECRET: 'openapi-spec-secret-of-at-least-32-characters' });
  });

  after(async () => {
    await sut?.close();
  });

  it('documents every route: its success body generated from the contract schema, its errors as problem+json', async () => {
    await assertEveryRouteDocumented(sut.url, ROUTES);
  });

  it('answers what it documents: the dashboard summary parses with its contract schema', async () => {
    const summary = await fetch(`${sut.url}/v1/dashboard`);
    assert.equal(summary.status, 200);
    const parsed = api.dashboardSummarySchema.safeParse(await summary.json());
    assert.ok(parsed.success, parsed.error?.message);
  });
});
