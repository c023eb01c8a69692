import { z } from 'zod';

/** One refused field of a request: its path (`body.tenure`, `limit`, `rows.3.customer_id`) and why. */
export const fieldErrorSchema = z.object({ field: z.string(), message: z.string() });
export type FieldError = z.output<typeof fieldErrorSchema>;

/**
 * Every error answer of the HTTP services, as `application/problem+json` (RFC 9457): the standard
 * members plus `code` (the service's stable error code, what a program branches on), `errors` (each
 * refused field, for validation failures) and `request_id` (for 5xx, the id the service logged the
 * failure under). Services may add further members (e.g. `sign_in`, the refused rows of an import).
 */
export const problemDetailsSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.string(),
  errors: z.array(fieldErrorSchema).optional(),
  request_id: z.string().optional(),
});
export type ProblemDetails = z.output<typeof problemDetailsSchema>;

export const PROBLEM_JSON = 'application/problem+json';
