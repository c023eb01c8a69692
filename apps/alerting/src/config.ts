import type { z } from 'zod';
import { baseServiceConfigSchema } from '@churn/service-kit';

export const alertingConfigSchema = baseServiceConfigSchema(3003);
export type AlertingConfig = z.output<typeof alertingConfigSchema>;
