import { getOrCreateCounter, getOrCreateHistogram, type Registry } from '@churn/observability';

const FORMATS = ['csv', 'pdf'] as const;
const EMAIL_FAILURE_REASONS = ['unconfigured', 'retry', 'dead', 'rejected', 'report'] as const;

/**
 * The report metrics, created once per registry (the builder and the mailer share them). Every label
 * value starts at 0, so the first failure is an increase Prometheus sees (a series born at 1 has no
 * increase for `increase()` to find, and ChurnReportEmailFailing would miss it).
 */
export function reportMetrics(registry: Registry) {
  const metrics = {
    generated: getOrCreateCounter(registry, {
      name: 'monitoring_reports_generated_total',
      help: 'Reports generated (downloaded or e-mailed), by format (csv, pdf).',
      labelNames: ['format'] as const,
    }),
    duration: getOrCreateHistogram(registry, {
      name: 'monitoring_report_duration_seconds',
      help: 'Time to assemble and render one report, by format.',
      labelNames: ['format'] as const,
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    }),
    failures: getOrCreateCounter(registry, {
      name: 'monitoring_report_failures_total',
      help: 'Reports that could not be assembled or rendered (a database error, …), by format.',
      labelNames: ['format'] as const,
    }),
    emailed: getOrCreateCounter(registry, {
      name: 'monitoring_report_emails_total',
      help: 'Report e-mails the SMTP server accepted.',
      labelNames: [] as const,
    }),
    emailFailures: getOrCreateCounter(registry, {
      name: 'monitoring_report_email_failures_total',
      help: 'Report e-mails not sent, by reason: retry (server busy or unreachable), dead (login or recipients refused), rejected (the message refused), report (the report could not be made).',
      labelNames: ['reason'] as const,
    }),
  };
  for (const format of FORMATS) {
    metrics.generated.inc({ format }, 0);
    metrics.failures.inc({ format }, 0);
  }
  for (const reason of EMAIL_FAILURE_REASONS) metrics.emailFailures.inc({ reason }, 0);
  return metrics;
}

export type ReportMetrics = ReturnType<typeof reportMetrics>;
