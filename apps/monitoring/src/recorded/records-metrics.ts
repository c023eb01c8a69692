import { getOrCreateCounter, type Registry } from '@churn/observability';

/** `monitoring_outcomes_recorded_total{source}` (topic, api, import) and `monitoring_interventions_recorded_total{source}` (api, import, salesforce, hubspot). */
export function recordsRecordedCounters(registry: Registry) {
  return {
    outcomes: getOrCreateCounter(registry, {
      name: 'monitoring_outcomes_recorded_total',
      help: 'Outcomes stored (new, not already present), by source: topic, api (one JSON record), import (CSV).',
      labelNames: ['source'] as const,
    }),
    interventions: getOrCreateCounter(registry, {
      name: 'monitoring_interventions_recorded_total',
      help: 'Interventions stored (new, not already present), by source: api (one JSON record), import (CSV), salesforce and hubspot (completed CRM tasks).',
      labelNames: ['source'] as const,
    }),
  };
}

/** Refused uploads by reason (invalid_rows, malformed_csv, malformed_json, empty, unsupported_media_type, too_large) and their bad rows by problem. */
export function refusalCounters(registry: Registry) {
  return {
    requests: getOrCreateCounter(registry, {
      name: 'monitoring_records_refused_requests_total',
      help: 'Outcome/intervention uploads refused (nothing stored), by kind and reason.',
      labelNames: ['kind', 'reason'] as const,
    }),
    rows: getOrCreateCounter(registry, {
      name: 'monitoring_records_refused_rows_total',
      help: 'Problems found in refused outcome/intervention uploads, by kind and reason (the problem code).',
      labelNames: ['kind', 'reason'] as const,
    }),
  };
}
