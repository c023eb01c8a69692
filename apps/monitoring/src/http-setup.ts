import fs from 'node:fs';
import type { ErrorRequestHandler, Express } from 'express';
import { json, text } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Registry } from '@churn/observability';
import { PROBLEM_JSON, problemDetails } from '@churn/contracts';
import { METRICS_REGISTRY, setUpApiDocument } from '@churn/service-kit';
import { UnreadableRecordsError } from './recorded/row-problems';
import type { MonitoringConfig } from './config';
import { refusalCounters } from './recorded/records-metrics';

/** The uploads of people's records, with their own size limit (not the service kit's 5 MB JSON default). */
const RECORD_PATHS = { '/v1/outcomes': 'outcomes', '/v1/interventions': 'interventions' } as const;

/**
 * Before the service kit's parsers and the routes: the record uploads' parsers (JSON and CSV, up to
 * MONITORING_IMPORT_MAX_BYTES, a clear 413 beyond), the OpenAPI document at `/docs`, and the built
 * dashboard at `/` (without a build, `/` says how to make one).
 */
export function configureMonitoringHttp(app: NestExpressApplication, config: MonitoringConfig): void {
  const refused = refusalCounters(app.get<Registry>(METRICS_REGISTRY));
  const limit = config.MONITORING_IMPORT_MAX_BYTES;
  for (const [route, kind] of Object.entries(RECORD_PATHS)) {
    // The parsers' own failures, counted and passed on as typed errors (the exception filter answers them).
    const unreadable: ErrorRequestHandler = (error: { type?: string; message?: string }, _req, _res, next) => {
      if (error.type === 'entity.too.large') {
        refused.requests.inc({ kind, reason: 'too_large' });
        return next(new UnreadableRecordsError('too_large', `the body is larger than ${limit} bytes (MONITORING_IMPORT_MAX_BYTES): split the file`));
      }
      if (error.type === 'entity.parse.failed') {
        refused.requests.inc({ kind, reason: 'malformed_json' });
        return next(new UnreadableRecordsError('malformed_json', `the JSON body cannot be parsed: ${error.message ?? ''}`));
      }
      next(error);
    };
    app.use(route, json({ limit }), text({ type: 'text/csv', limit }), unreadable);
  }
  setUpApiDocument(app, 'Churn Radar monitoring', 'Model quality, drift, ROI and experiments; outcomes and interventions recorded by people.');

  const dir = config.MONITORING_DASHBOARD_DIR;
  if (fs.existsSync(`${dir}/index.html`)) {
    app.useStaticAssets(dir, { index: 'index.html', maxAge: 0 });
    return;
  }
  // Express answers this route before Nest's filter could: the problem is built here, in the same shape.
  const notBuilt = problemDetails({
    status: 503,
    code: 'DASHBOARD_NOT_BUILT',
    detail: `no index.html in ${dir}: run bash apps/dashboard/scripts/build-web.sh`,
    instance: '/',
  });
  (app.getHttpAdapter().getInstance() as Express).get('/', (_req, res) => res.status(503).type(PROBLEM_JSON).send(JSON.stringify(notBuilt)));
}
