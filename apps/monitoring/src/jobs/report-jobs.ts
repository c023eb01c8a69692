import { PermanentJobError, type JobHandler } from '@churn/scheduler';
import { ReportEmailError, type ReportEmailFailure, type ReportMailService } from '../reports/report-mail.service';
import type { ScheduledReport } from '../reports/report-request';

/** Failures a retry cannot fix: refused credentials or recipients, a refused message, no SMTP configured. */
const PERMANENT: ReadonlySet<ReportEmailFailure> = new Set(['dead', 'rejected', 'unconfigured']);

/**
 * `report-daily` / `report-weekly`: the last whole UTC day or week before the tick's scheduled time (not
 * the attempt's), so that every attempt of one tick e-mails the same period. A retry after the SMTP
 * server took the mail but before the run was recorded sends it again: e-mail is at-least-once here.
 */
export function reportJob(reports: ReportMailService, kind: ScheduledReport): JobHandler {
  return async (job) => {
    try {
      const receipt = await reports.sendScheduled(kind, job.scheduledAt);
      return { to: receipt.to, message_id: receipt.message_id, attachments: [...receipt.attachments], rejected_recipients: [...receipt.rejected_recipients] };
    } catch (error) {
      if (error instanceof ReportEmailError && PERMANENT.has(error.reason)) throw new PermanentJobError(`REPORT_${error.reason.toUpperCase()}`, error.message);
      throw error;
    }
  };
}
