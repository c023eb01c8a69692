import { z } from 'zod';
import { checkCrmCredentials, crmEnvSchema } from '@churn/crm';
import { authEnvSchema, baseServiceConfigSchema } from '@churn/service-kit';

/**
 * The service's environment: the base keys, AUTH_JWT_SECRET (admin resume) and the CRM integration's
 * (each documented in `crmEnvSchema`), with the Salesforce sign-in flow's variables checked together
 * (a missing one named).
 */
export const crmSyncConfigSchema = baseServiceConfigSchema(3004)
  .extend(authEnvSchema.shape)
  .extend(crmEnvSchema.shape)
  .extend({
    /** How often the relay looks for CRM activity (writes, tasks created and completed) to publish on `crm-activity`. */
    CRM_ACTIVITY_RELAY_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    /** Most activities one relay pass publishes. */
    CRM_ACTIVITY_RELAY_BATCH: z.coerce.number().int().min(1).max(5000).default(500),
    /** Hours a published activity is kept in the outbox before it is deleted. */
    CRM_ACTIVITY_KEEP_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(168),
  })
  .superRefine(checkCrmCredentials);
export type CrmSyncConfig = z.output<typeof crmSyncConfigSchema>;
