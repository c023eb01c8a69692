import type { z } from 'zod';
import { baseServiceConfigSchema } from '@churn/service-kit';

export const monitoringConfigSchema = baseServiceConfigSchema(3005);
export type MonitoringConfig = z.output<typeof monitoringConfigSchema>;
