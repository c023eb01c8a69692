import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';

/** What a route answers on success: JSON typed by a contract schema, a file (CSV, PDF, text), or a redirect. */
export type DocumentedAnswer = z.ZodType | 'file' | 'redirect';

interface ResponseObject {
  content?: Record<string, { schema?: { $ref?: string } }>;
}
interface ApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, ResponseObject> }>>;
  components?: { schemas?: Record<string, unknown> };
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);

/**
 * Every way a service's OpenAPI document (`/docs/json`) fails its routes, empty when none: a route the
 * spec does not expect (a new endpoint must be added to the spec, with its answer's schema), an expected
 * route missing, a JSON success body that is not `$ref` to a component equal to `z.toJSONSchema` of the
 * contract (openapi-3.0), an error response without the problem+json body. Keys: `GET /v1/models`.
 */
export function openApiAnswerProblems(body: unknown, expected: Readonly<Record<string, DocumentedAnswer>>): string[] {
  const document = body as ApiDocument;
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const route = `${method.toUpperCase()} ${path}`;
      seen.add(route);
      const answer = expected[route];
      const responses = operation.responses ?? {};
      if (answer === undefined) {
        problems.push(`${route}: not expected (document its answer with @ApiAnswer and list it in this spec)`);
        continue;
      }
      for (const [status, response] of Object.entries(responses)) {
        if (/^[45]/.test(status) && response.content?.['application/problem+json']?.schema?.$ref !== '#/components/schemas/ProblemDetails')
          problems.push(`${route}: ${status} is not a problem+json body`);
      }
      if (answer === 'redirect') {
        if (!responses['302']) problems.push(`${route}: no 302 documented`);
        continue;
      }
      if (answer === 'file') {
        if (!responses['200']) problems.push(`${route}: no 200 documented`);
        continue;
      }
      const success = Object.entries(responses).find(([status]) => /^2/.test(status));
      const ref = success?.[1].content?.['application/json']?.schema?.$ref;
      if (ref === undefined) {
        problems.push(`${route}: no JSON success body with a $ref`);
        continue;
      }
      const component = document.components?.schemas?.[ref.replace('#/components/schemas/', '')];
      if (!isDeepStrictEqual(component, z.toJSONSchema(answer, { target: 'openapi-3.0' }))) problems.push(`${route}: ${ref} is not the contract's schema`);
    }
  }
  for (const route of Object.keys(expected)) if (!seen.has(route)) problems.push(`${route}: expected but not in the document`);
  return problems;
}

/** Fetches the service's `/docs/json` and fails with every problem openApiAnswerProblems finds. */
export async function assertEveryRouteDocumented(baseUrl: string, expected: Readonly<Record<string, DocumentedAnswer>>): Promise<void> {
  const response = await fetch(`${baseUrl}/docs/json`);
  assert.equal(response.status, 200);
  assert.deepEqual(openApiAnswerProblems(await response.json(), expected), []);
}
