import { crmMetrics } from '@churn/crm';
import type { Registry } from '@churn/observability';
import { METRICS_REGISTRY } from '@churn/service-kit';

export const CRM_METRICS = Symbol('CRM_METRICS');

export const crmMetricsProvider = { provide: CRM_METRICS, inject: [METRICS_REGISTRY], useFactory: (registry: Registry) => crmMetrics(registry) };
