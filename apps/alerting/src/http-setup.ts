import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** OpenAPI document at /docs (JSON at /docs/json). */
export function configureAlertingHttp(app: NestExpressApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Churn Radar alerting')
      .setDescription('Retention alerts: the work queue (filters, deadlines, paging, assignment, bulk acknowledgment and resolution, history), acknowledgment and resolution, SLA figures, rules in effect, notification destinations.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
}
