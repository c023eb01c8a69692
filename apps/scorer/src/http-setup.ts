import type { NestExpressApplication } from '@nestjs/platform-express';
import { setUpApiDocument } from '@churn/service-kit';
import { json } from 'express';
import { requestBodyErrors } from '@churn/service-kit';

/**
 * Before the service kit's 5 MB JSON parser: the batch endpoint takes up to BATCH_MAX_ROWS rows
 * (~45 MB of JSON for 100,000), and a CSV upload is streamed by the controller itself.
 */
export function configureScorerHttp(app: NestExpressApplication): void {
  app.use('/v1/predict/batch', json({ limit: '128mb' }), requestBodyErrors);
  setUpApiDocument(app, 'Churn Radar scorer', 'Churn scoring with explanations, prediction history and the model registry (champion / shadow).');
}
