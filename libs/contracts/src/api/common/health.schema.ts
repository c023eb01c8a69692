import { z } from 'zod';

/** `GET /health/live` and `GET /health/ready` of every service (503 with the same body when not ok). */
export const healthReportSchema = z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.enum(['ok', 'failing'])) });
export type HealthReportAnswer = z.infer<typeof healthReportSchema>;
