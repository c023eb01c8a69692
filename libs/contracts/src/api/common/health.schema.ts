import { z } from 'zod';
import { problemDetails } from '../../problem-details/problem-details';
import { problemDetailsSchema, type ProblemDetails } from '../../problem-details/problem-details.schema';

const checksSchema = z.record(z.string(), z.enum(['ok', 'failing']));

/** `GET /health/live` and `GET /health/ready` of every service and the jobs worker, when every check passes (200). */
export const healthReportSchema = z.object({ status: z.enum(['ok', 'unavailable']), checks: checksSchema });
export type HealthReportAnswer = z.infer<typeof healthReportSchema>;

/** The same routes when a check fails (503): a problem like every other error answer, its checks as an extension member. */
export const healthProblemSchema = problemDetailsSchema.extend({ status: z.literal(503), code: z.enum(['NOT_LIVE', 'NOT_READY']), checks: checksSchema });
export type HealthProblem = z.infer<typeof healthProblemSchema>;

/**
 * The 503 answer of a health route whose report is not ok. An orchestrator reads only the status; an
 * operator reading the body still sees which check failed, by name.
 */
export function healthProblem(report: HealthReportAnswer, route: 'live' | 'ready'): ProblemDetails {
  const failing = Object.keys(report.checks).filter((name) => report.checks[name] !== 'ok');
  return problemDetails({
    status: 503,
    code: route === 'live' ? 'NOT_LIVE' : 'NOT_READY',
    detail: `failing: ${failing.join(', ')}`,
    instance: `/health/${route}`,
    extensions: { checks: report.checks },
  });
}
