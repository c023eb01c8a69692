import { z } from 'zod';
import { riskLevelSchema } from '@churn/contracts';

export const listAlertsQuerySchema = z
  .object({
    status: z.enum(['pending', 'acknowledged', 'resolved']).optional(),
    level: riskLevelSchema.optional(),
    since: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp with zone' }).optional(),
    customer_id: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    /** Opaque cursor from the previous page's `next_cursor`. */
    cursor: z.string().min(1).optional(),
  })
  .strict();

export type ListAlertsQuery = z.output<typeof listAlertsQuerySchema>;

export const alertActionBodySchema = z
  .object({
    /** The person who acknowledges or resolves (name or e-mail). */
    by: z.string().trim().min(1).max(200),
    note: z.string().max(2000).optional(),
  })
  .strict();

export type AlertActionBody = z.output<typeof alertActionBodySchema>;

export const slaQuerySchema = z
  .object({
    since: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp with zone' }).optional(),
  })
  .strict();

export const channelParamSchema = z.enum(['slack', 'email', 'ops_slack', 'ops_email']);
