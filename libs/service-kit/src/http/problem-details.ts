import { STATUS_CODES } from 'node:http';
import type { FieldError, ProblemDetails } from '@churn/contracts';

export interface ProblemInput {
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  /** The request's path: which occurrence of the problem this is. */
  readonly instance?: string;
  readonly errors?: readonly FieldError[];
  /** Further members (a refused import's rows, where to sign in); they never replace the standard ones. */
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** Where a problem type is described: docs/http-errors.md lists every code. */
export function problemTypeOf(code: string): string {
  return `urn:churn-radar:problem:${code}`;
}

/** The one builder of error bodies: RFC 9457 members, then `code`, field `errors` and extensions. */
export function problemDetails(input: ProblemInput): ProblemDetails {
  return {
    ...input.extensions,
    type: problemTypeOf(input.code),
    title: STATUS_CODES[input.status] ?? 'Error',
    status: input.status,
    ...(input.detail !== undefined ? { detail: input.detail } : {}),
    ...(input.instance !== undefined ? { instance: input.instance } : {}),
    code: input.code,
    ...(input.errors !== undefined ? { errors: [...input.errors] } : {}),
  };
}
