import { getOrCreateCounter, getOrCreateGauge, getOrCreateHistogram, LATENCY_BUCKETS_SECONDS, type Registry } from '@churn/observability';

export type CrmMetrics = ReturnType<typeof crmMetrics>;

/** crm-sync's metrics, shared by the service and the CLI. */
export function crmMetrics(registry: Registry) {
  return {
    pushes: getOrCreateCounter(registry, {
      name: 'crm_sync_pushes_total',
      help: 'Outbox rows handled by the drain loop, by CRM, kind and result (sent, retry, parked, rate_limited, paused, outage, missing_customer, dry_run).',
      labelNames: ['target', 'kind', 'result'] as const,
    }),
    skipped: getOrCreateCounter(registry, {
      name: 'crm_sync_skipped_total',
      help: 'Predictions, alerts and outcomes that queued no CRM write, by reason (control_arm, unchanged, stale, level, duplicate, no_crm, not_churned, churn_leave).',
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
    integrationPaused: getOrCreateGauge(registry, {
      name: 'crm_sync_integration_paused',
      help: '1 while the integration with a CRM is paused for this reason (unknown field, missing access or scopes, refused credentials, a batch refused as a whole, missing fields at the field check); rows wait until an admin or a probe resumes it.',
      labelNames: ['crm', 'reason'] as const,
    }),
    rateLimits: getOrCreateCounter(registry, {
      name: 'crm_sync_rate_limits_total',
      help: 'Rate-limit answers that held a CRM (every instance), by CRM and policy (HTTP_429_DAILY, HTTP_429_TEN_SECONDLY_ROLLING, REQUEST_LIMIT_EXCEEDED, ...).',
      labelNames: ['crm', 'policy'] as const,
    }),
    rateLimitHold: getOrCreateGauge(registry, {
      name: 'crm_sync_rate_limit_hold_seconds',
      help: 'Seconds until a CRM held after a rate limit may be called again (0: not held).',
      labelNames: ['crm'] as const,
    }),
    missingCustomers: getOrCreateCounter(registry, {
      name: 'crm_sync_missing_customers_total',
      help: 'Writes for customers the CRM had no record of, by CRM and action (created, skipped).',
      labelNames: ['crm', 'action'] as const,
    }),
    readbackTasks: getOrCreateCounter(registry, {
      name: 'crm_sync_readback_tasks_total',
      help: 'Completed tasks read back from a CRM, by CRM and result (recorded: published as an intervention; not_ours: not created by the platform; closed_on_churn: closed by crm-sync when the customer churned).',
      labelNames: ['crm', 'result'] as const,
    }),
    readbackFailures: getOrCreateCounter(registry, {
      name: 'crm_sync_readback_failures_total',
      help: 'Read-backs of completed tasks that failed, by CRM and kind (rate_limited, misconfigured, outage, other).',
      labelNames: ['crm', 'kind'] as const,
    }),
    readbackLastSuccess: getOrCreateGauge(registry, {
      name: 'crm_sync_readback_last_success_timestamp_seconds',
      help: 'When the read-back of completed tasks last succeeded for a CRM (Unix seconds, from Postgres: the same on every instance; 0: never). Reported for enabled CRMs only.',
      labelNames: ['crm'] as const,
    }),
    readbackInterval: getOrCreateGauge(registry, {
      name: 'crm_sync_readback_interval_seconds',
      help: 'The configured read-back interval (CRM_READBACK_INTERVAL_SECONDS) per enabled CRM; absent when the periodic read-back is off.',
      labelNames: ['crm'] as const,
    }),
    deadLetters: getOrCreateCounter(registry, {
      name: 'crm_sync_dead_letters_total',
      help: 'Outbox rows parked and published to crm-sync.dlq, by CRM and kind.',
      labelNames: ['target', 'kind'] as const,
    }),
  };
}
