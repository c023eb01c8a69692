import type { z } from 'zod';
import { crmEnvSchema } from '@churn/crm';
import { baseServiceConfigSchema } from '@churn/service-kit';

/** The service's environment: the base keys plus the CRM integration's (each documented in `crmEnvSchema`). */
export const crmSyncConfigSchema = baseServiceConfigSchema(3004).extend(crmEnvSchema.shape);
export type CrmSyncConfig = z.output<typeof crmSyncConfigSchema>;
