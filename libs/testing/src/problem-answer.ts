import assert from 'node:assert/strict';
import { PROBLEM_JSON, problemDetailsSchema, type ProblemDetails } from '@churn/contracts';

/**
 * Asserts an error answer is `application/problem+json` with this status (and code, when given) and
 * returns its body: what every spec of an error answer checks before looking at the detail or fields.
 */
export async function expectProblem(response: Response, status: number, code?: string): Promise<ProblemDetails> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  assert.equal(response.headers.get('content-type')?.split(';')[0], PROBLEM_JSON, text);
  const problem = problemDetailsSchema.parse(JSON.parse(text));
  assert.equal(problem.status, status, text);
  if (code !== undefined) assert.equal(problem.code, code, text);
  return problem;
}

/** The fields a validation problem names, in its order. */
export function problemFields(problem: ProblemDetails): string[] {
  return (problem.errors ?? []).map((e) => e.field);
}
