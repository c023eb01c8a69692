import type { z } from 'zod';
import { checkCrmCredentials, crmEnvSchema } from '@churn/crm';
import { authEnvSchema, baseServiceConfigSchema } from '@churn/service-kit';

/**
 * The service's environment: the base keys, AUTH_JWT_SECRET (admin resume) and the CRM integration's
 * (each documented in `crmEnvSchema`), with the Salesforce sign-in flow's variables checked together
 * (a missing one named).
 */
export const crmSyncConfigSchema = baseServiceConfigSchema(3004).extend(authEnvSchema.shape).extend(crmEnvSchema.shape).superRefine(checkCrmCredentials);
export type CrmSyncConfig = z.output<typeof crmSyncConfigSchema>;
