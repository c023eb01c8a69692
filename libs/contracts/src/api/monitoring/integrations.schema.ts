import { z } from 'zod';
import { crmNameSchema } from '../../crm-activity/crm-activity.schema';

/** One CRM integration as crm-sync reports it. */
export const crmIntegrationSchema = z.object({
  crm: crmNameSchema,
  enabled: z.boolean(),
  status: z.enum(['active', 'paused']),
  paused_reason: z.string().nullable(),
  paused_detail: z.string().nullable(),
  paused_at: z.string().nullable(),
  rate_limited_until: z.string().nullable(),
  rate_limit: z.string().nullable(),
  resumed_at: z.string().nullable(),
  resumed_by: z.string().nullable(),
});
export type CrmIntegration = z.infer<typeof crmIntegrationSchema>;

/** `GET /v1/integrations` (crm-sync's, forwarded by monitoring). */
export const crmIntegrationListSchema = z.object({ integrations: z.array(crmIntegrationSchema) });
export type CrmIntegrationList = z.infer<typeof crmIntegrationListSchema>;

/** `POST /v1/integrations/{crm}/resume`: `resumed` false when it was not paused. */
export const crmResumeAnswerSchema = z.object({ crm: crmNameSchema, status: z.literal('active'), resumed: z.boolean() });
export type CrmResumeAnswer = z.infer<typeof crmResumeAnswerSchema>;
