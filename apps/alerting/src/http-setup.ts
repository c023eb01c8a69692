import type { NestExpressApplication } from '@nestjs/platform-express';
import { setUpApiDocument } from '@churn/service-kit';

/** OpenAPI document at /docs (JSON at /docs/json). */
export function configureAlertingHttp(app: NestExpressApplication): void {
  setUpApiDocument(
    app,
    'Churn Radar alerting',
    'Retention alerts: the work queue (filters, deadlines, paging, assignment, bulk acknowledgment and resolution, history), acknowledgment and resolution, SLA figures, rules in effect, notification destinations.',
  );
}
