import { applyDecorators } from '@nestjs/common';
import { ApiProduces, ApiResponse } from '@nestjs/swagger';
import type { z } from 'zod';

/** Every schema an `@ApiAnswer` named, by its component name: the document's components are generated from them. */
const answerSchemas = new Map<string, z.ZodType>();

export function answerSchemaNamed(name: string): z.ZodType | undefined {
  return answerSchemas.get(name);
}

/**
 * Documents a route's success body as `$ref: #/components/schemas/<name>`, the component generated from
 * the `@churn/contracts` schema that types the answer (setUpApiDocument adds it). One name, one schema:
 * a second schema under a taken name is a mistake that would document one route with another's shape.
 */
export function ApiAnswer(name: string, schema: z.ZodType, options: { status?: 200 | 201; description?: string } = {}): MethodDecorator & ClassDecorator {
  const taken = answerSchemas.get(name);
  if (taken !== undefined && taken !== schema) throw new Error(`two response schemas are named ${name}`);
  answerSchemas.set(name, schema);
  return ApiResponse({ status: options.status ?? 200, description: options.description ?? name, schema: { $ref: `#/components/schemas/${name}` } });
}

/** A route that answers a file (CSV, PDF) rather than JSON. */
export function ApiFileAnswer(description: string, ...contentTypes: [string, ...string[]]): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiProduces(...contentTypes), ApiResponse({ status: 200, description }));
}

/** A route that answers a redirect (302) to another page. */
export function ApiRedirect(description: string): MethodDecorator & ClassDecorator {
  return ApiResponse({ status: 302, description });
}
