import type { z } from 'zod';
import { baseServiceConfigSchema } from '@churn/service-kit';

export const crmSyncConfigSchema = baseServiceConfigSchema(3004);
export type CrmSyncConfig = z.output<typeof crmSyncConfigSchema>;
