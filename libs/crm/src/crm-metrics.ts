import { getOrCreateCounter, getOrCreateGauge, getOrCreateHistogram, LATENCY_BUCKETS_SECONDS, type Registry } from '@churn/observability';

export type CrmMetrics = ReturnType<typeof crmMetrics>;

/** crm-sync's metrics, shared by the service and the CLI. */
export function crmMetrics(registry: Registry) {
  return {
    pushes: getOrCreateCounter(registry, {
      name: 'crm_sync_pushes_total',
      help: 'Outbox rows handled by the drain loop, by CRM, kind and result (sent, retry, parked, rate_limited, outage, dry_run).',
      labelNames: ['target', 'kind', 'result'] as const,
    }),
    skipped: getOrCreateCounter(registry, {
      name: 'crm_sync_skipped_total',
      help: 'Predictions and alerts that queued no CRM write, by reason (control_arm, unchanged, stale, level, duplicate, no_crm).',
      labelNames: ['reason'] as const,
    }),
    queued: getOrCreateCounter(registry, {
      name: 'crm_sync_queued_total',
      help: 'CRM writes queued in the outbox, by CRM and kind.',
      labelNames: ['target', 'kind'] as const,
    }),
    apiCalls: getOrCreateCounter(registry, {
      name: 'crm_sync_api_calls_total',
      help: 'HTTP calls to the CRMs, by CRM, endpoint and status.',
      labelNames: ['target', 'endpoint', 'status'] as const,
    }),
    callDuration: getOrCreateHistogram(registry, {
      name: 'crm_sync_call_duration_seconds',
      help: 'Duration of one batch push to a CRM, by CRM and kind.',
      labelNames: ['target', 'kind'] as const,
      buckets: LATENCY_BUCKETS_SECONDS,
    }),
    quotaRemaining: getOrCreateGauge(registry, {
      name: 'crm_sync_api_quota_remaining_calls',
      help: 'Remaining daily API calls as the CRM last reported them (Salesforce Sforce-Limit-Info, HubSpot X-HubSpot-RateLimit-Daily-Remaining).',
      labelNames: ['target'] as const,
    }),
    quotaLimit: getOrCreateGauge(registry, {
      name: 'crm_sync_api_quota_limit_calls',
      help: 'Daily API call limit as the CRM last reported it.',
      labelNames: ['target'] as const,
    }),
    outboxDepth: getOrCreateGauge(registry, {
      name: 'crm_sync_outbox_depth_rows',
      help: 'Outbox rows waiting (pending) or parked, by CRM and status.',
      labelNames: ['target', 'status'] as const,
    }),
    outboxOldest: getOrCreateGauge(registry, {
      name: 'crm_sync_outbox_oldest_age_seconds',
      help: 'Age of the oldest pending (or parked) outbox row, by CRM and status.',
      labelNames: ['target', 'status'] as const,
    }),
    breakerState: getOrCreateGauge(registry, {
      name: 'crm_sync_breaker_state_info',
      help: 'Circuit breaker per CRM: 0 closed, 1 half-open, 2 open.',
      labelNames: ['target'] as const,
    }),
    deadLetters: getOrCreateCounter(registry, {
      name: 'crm_sync_dead_letters_total',
      help: 'Outbox rows parked and published to crm-sync.dlq, by CRM and kind.',
      labelNames: ['target', 'kind'] as const,
    }),
  };
}
