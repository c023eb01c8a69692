import { z } from 'zod';

export const alertActionBodySchema = z
  .object({
    /** The person who acknowledges or resolves (name or e-mail); unset: the token's subject. */
    by: z.string().trim().min(1).max(200).optional(),
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
