import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { openApiAnswerProblems } from './openapi-answers';

const answer = z.object({ id: z.string(), score: z.number().nullable() });
const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } };
const documented = (component: unknown, errors: Record<string, unknown> = { '4XX': { content: problem } }) => ({
  paths: {
    '/v1/things/{id}': { get: { responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } }, ...errors } } },
    '/things/{id}': { get: { responses: { '302': {}, ...errors } } },
  },
  components: { schemas: { Thing: component } },
});

describe('openApiAnswerProblems', () => {
  const expected = { 'GET /v1/things/{id}': answer, 'GET /things/{id}': 'redirect' } as const;

  it('finds nothing wrong in a document generated from the contract', () => {
    assert.deepEqual(openApiAnswerProblems(documented(z.toJSONSchema(answer, { target: 'openapi-3.0' })), expected), []);
  });

  it('names a component that is not the contract schema, an error without problem+json, and routes not listed or missing', () => {
    const drifted = documented(z.toJSONSchema(answer.extend({ extra: z.string() }), { target: 'openapi-3.0' }), { '404': { description: 'no such thing' } });
    const { '/things/{id}': _redirect, ...paths } = drifted.paths;
    const problems = openApiAnswerProblems({ ...drifted, paths: { ...paths, '/v1/new': { post: { responses: { '201': {} } } } } }, expected);
    assert.deepEqual(problems, [
      'GET /v1/things/{id}: 404 is not a problem+json body',
      "GET /v1/things/{id}: #/components/schemas/Thing is not the contract's schema",
      'POST /v1/new: not expected (document its answer with @ApiAnswer and list it in this spec)',
      'GET /things/{id}: expected but not in the document',
    ]);
  });
});
