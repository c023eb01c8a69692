import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';
import { PROBLEM_JSON, problemDetailsSchema } from '@churn/contracts';
import { answerSchemaNamed } from './api-answer.decorator';

/**
 * The OpenAPI 3.0 form of a response schema. zod 4 converts its schemas itself (`z.toJSONSchema`, target
 * `openapi-3.0`: `nullable: true` instead of a `null` type; https://zod.dev/json-schema), so the document
 * and the validation cannot disagree.
 */
export function openApiSchemaOf(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: 'openapi-3.0' }) as Record<string, unknown>;
}

/** RFC 9457 problem details: the body of every refused or failed request (`application/problem+json`). */
export const PROBLEM_COMPONENT = 'ProblemDetails';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

interface OperationResponses {
  responses: Record<string, { description?: string; content?: Record<string, unknown> }>;
}

/**
 * The service's OpenAPI document at `/docs` (JSON at `/docs/json`): Nest's document of the routes,
 * with each `@ApiAnswer` component generated from its zod schema, and every error response (each
 * documented 4xx/5xx, else 4XX and 5XX) described by the problem+json component.
 */
export function setUpApiDocument(app: INestApplication, title: string, description: string): OpenAPIObject {
  const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle(title).setDescription(description).setVersion('1').addBearerAuth().build());
  const schemas: Record<string, unknown> = { ...(document.components?.schemas ?? {}), [PROBLEM_COMPONENT]: openApiSchemaOf(problemDetailsSchema) };
  const problem = { [PROBLEM_JSON]: { schema: { $ref: `#/components/schemas/${PROBLEM_COMPONENT}` } } };
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = path[method] as OperationResponses | undefined;
      if (!operation) continue;
      for (const response of Object.values(operation.responses)) {
        const ref = (response.content?.['application/json'] as { schema?: { $ref?: string } } | undefined)?.schema?.$ref;
        const name = ref?.replace('#/components/schemas/', '');
        const schema = name === undefined ? undefined : answerSchemaNamed(name);
        if (name !== undefined && schema !== undefined) schemas[name] = openApiSchemaOf(schema);
      }
      const errors = Object.keys(operation.responses).filter((status) => /^[45]/.test(status));
      for (const status of errors) operation.responses[status] = { ...operation.responses[status], content: problem };
      if (!errors.some((s) => s.startsWith('4')))
        operation.responses['4XX'] = { description: 'refused: the problem names the field or the reason', content: problem };
      if (!errors.some((s) => s.startsWith('5'))) operation.responses['5XX'] = { description: 'failed: the problem says what failed', content: problem };
    }
  }
  document.components = { ...document.components, schemas: schemas as NonNullable<OpenAPIObject['components']>['schemas'] };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
  return document;
}
