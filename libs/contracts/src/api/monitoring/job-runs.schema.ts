import { z } from 'zod';

export const jobRunStatusSchema = z.enum(['running', 'succeeded', 'retrying', 'failed']);
export type JobRunStatusName = z.infer<typeof jobRunStatusSchema>;

export const jobRunSchema = z.object({
  run_id: z.string(),
  job: z.string(),
  trigger: z.enum(['schedule', 'manual']),
  attempt: z.number(),
  status: jobRunStatusSchema,
  worker: z.string(),
  scheduled_at: z.string(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  duration_seconds: z.number().nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
});
export type JobRun = z.infer<typeof jobRunSchema>;

/** `GET /v1/jobs/runs`: newest first. */
export const jobRunListSchema = z.object({ runs: z.array(jobRunSchema) });
export type JobRunList = z.infer<typeof jobRunListSchema>;
