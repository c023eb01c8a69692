import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ReportPeriodBounds } from '@churn/monitoring-data';
import { emailAddressList, messageIdOf, SmtpMailer, type MailResult } from '@churn/mailer';
import type { Logger, Registry } from '@churn/observability';
import { DomainError, LOGGER, METRICS_REGISTRY, SERVICE_CONFIG, ValidationError } from '@churn/service-kit';
import type { MonitoringConfig } from '../config';
import { reportEmail } from './report-email';
import { reportMetrics, type ReportMetrics } from './report-metrics';
import { lastCompletedPeriod, type ScheduledReport } from './report-request';
import { ReportService } from './report.service';

/** Why a report was not e-mailed: the label of monitoring_report_email_failures_total. */
export type ReportEmailFailure = 'unconfigured' | 'retry' | 'dead' | 'rejected' | 'report';

export type ReportEmailErrorCode = 'REPORT_EMAIL_DISABLED' | 'REPORT_EMAIL_DEFERRED' | 'REPORT_EMAIL_REFUSED' | 'REPORT_EMAIL_REJECTED' | 'REPORT_FAILED';

const FAILURE_CODE: Readonly<Record<ReportEmailFailure, ReportEmailErrorCode>> = {
  unconfigured: 'REPORT_EMAIL_DISABLED',
  retry: 'REPORT_EMAIL_DEFERRED',
  dead: 'REPORT_EMAIL_REFUSED',
  rejected: 'REPORT_EMAIL_REJECTED',
  report: 'REPORT_FAILED',
};

/** A report that was not e-mailed, and why; `retry` is worth trying again later (a scheduler retries it). */
export class ReportEmailError extends DomainError<ReportEmailErrorCode> {
  constructor(
    readonly reason: ReportEmailFailure,
    message: string,
  ) {
    super(FAILURE_CODE[reason], message);
  }
}

export interface ReportEmailReceipt {
  readonly from: string;
  readonly to: string;
  readonly recipients: string;
  readonly message_id: string;
  readonly attachments: readonly string[];
  /** Addresses the server refused while taking the mail for the others. */
  readonly rejected_recipients: readonly string[];
}

/**
 * E-mails reports through the SMTP mailer alerting uses (@churn/mailer: pooled, timeouts, errors
 * classified), to REPORT_EMAIL_TO or the recipients a caller names, with the PDF and the CSV
 * attached. One attempt per call: the caller (the scheduler's job, an admin) retries a `retry`.
 * The Message-ID is derived from the period and the recipients, so a report sent twice (a retry after
 * the server took it) is recognisable as the same mail.
 */
@Injectable()
export class ReportMailService implements OnApplicationShutdown {
  private readonly mailer: SmtpMailer | undefined;
  private readonly metrics: ReportMetrics;
  private readonly logger: Logger;

  constructor(
    private readonly reports: ReportService,
    @Inject(SERVICE_CONFIG) private readonly config: MonitoringConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: ReportMailService.name });
    this.metrics = reportMetrics(registry);
    if (config.SMTP_URL) {
      this.mailer = new SmtpMailer({
        url: config.SMTP_URL,
        from: config.REPORT_EMAIL_FROM,
        to: config.REPORT_EMAIL_TO ?? '',
        timeoutMs: config.SMTP_TIMEOUT_MS,
      });
    } else {
      this.logger.info('report e-mail disabled: SMTP_URL is not set (reports stay downloadable)');
    }
  }

  onApplicationShutdown(): void {
    this.mailer?.close();
  }

  /** The period's report as PDF and CSV, e-mailed to `recipients` (comma-separated), REPORT_EMAIL_TO by default. */
  async sendReport(period: ReportPeriodBounds, recipients?: string, top = this.config.REPORT_TOP_CUSTOMERS): Promise<ReportEmailReceipt> {
    const to = recipients ?? this.config.REPORT_EMAIL_TO;
    const fields = { from: period.from.toISOString(), to: period.to.toISOString() };
    if (!this.mailer) return this.fail('unconfigured', 'reports cannot be e-mailed: SMTP_URL is not set', fields);
    if (!to) return this.fail('unconfigured', 'no recipients: name them or set REPORT_EMAIL_TO', fields);
    const parsed = emailAddressList.safeParse(to);
    if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ field: 'recipients', message: i.message })));

    let rendered;
    try {
      rendered = await this.reports.renderAll(period, ['pdf', 'csv'], top);
    } catch (error) {
      return this.fail('report', `the report could not be made: ${error instanceof Error ? error.message : String(error)}`, fields);
    }
    // Short enough that the Message-ID header is never folded (nodemailer folds lines past 78 characters).
    const key = `report-${createHash('sha256').update(`${fields.from}\u0000${fields.to}\u0000${parsed.data}`).digest('hex').slice(0, 32)}`;
    const result: MailResult = await this.mailer.send(reportEmail(rendered[0]!.report), key, {
      to: parsed.data,
      attachments: rendered.map((r) => ({ filename: r.filename, contentType: r.contentType, content: r.body })),
    });
    if (result.kind !== 'ok') return this.fail(result.kind, `the SMTP server did not take the report: ${result.error}`, fields);
    this.metrics.emailed.inc();
    const receipt: ReportEmailReceipt = {
      ...fields,
      recipients: parsed.data,
      message_id: messageIdOf(key),
      attachments: rendered.map((r) => r.filename),
      rejected_recipients: result.rejectedRecipients ?? [],
    };
    this.logger.info(
      { ...fields, recipients: receipt.recipients.split(',').length, rejected: receipt.rejected_recipients.length, attachments: receipt.attachments },
      'report e-mailed',
    );
    return receipt;
  }

  /**
   * The jobs `report-daily` and `report-weekly`: the last whole UTC day or week before `now`, e-mailed to
   * REPORT_EMAIL_TO. A `ReportEmailError` with reason `retry` is worth retrying; the receipt is the
   * job's result.
   */
  async sendScheduled(kind: ScheduledReport, now = new Date()): Promise<ReportEmailReceipt> {
    return this.sendReport(lastCompletedPeriod(kind, now));
  }

  private fail(reason: ReportEmailFailure, message: string, fields: Record<string, string>): never {
    this.metrics.emailFailures.inc({ reason });
    this.logger.error({ ...fields, reason }, message);
    throw new ReportEmailError(reason, message);
  }
}
