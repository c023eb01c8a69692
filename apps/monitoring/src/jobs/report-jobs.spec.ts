import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '@churn/observability';
import { PermanentJobError, type JobContext } from '@churn/scheduler';
import { ReportEmailError, type ReportMailService } from '../reports/report-mail.service';
import { reportJob } from './report-jobs';

const context = (scheduledAt: Date): JobContext => ({
  runId: 'run-1',
  job: 'report-daily',
  attempt: 1,
  trigger: 'schedule',
  scheduledAt,
  signal: new AbortController().signal,
  params: {},
  logger: createLogger({ service: 'spec', level: 'silent' }),
});

/** A stand-in for the mail service: records what it was asked, answers as told. */
function reports(answer: () => Promise<unknown>) {
  const asked: [string, Date][] = [];
  const service = { sendScheduled: async (kind: string, now: Date) => (asked.push([kind, now]), answer()) } as unknown as ReportMailService;
  return { service, asked };
}

describe('reportJob', () => {
  it("sends the period before the tick's scheduled time (every attempt of a tick the same) and records the receipt", async () => {
    const receipt = {
      from: 'f',
      to: 'lead@example.com',
      recipients: 'lead@example.com',
      message_id: '<m1>',
      attachments: ['r.pdf', 'r.csv'],
      rejected_recipients: [],
    };
    const { service, asked } = reports(async () => receipt);
    const at = new Date('2026-12-03T07:00:00Z');
    const result = await reportJob(service, 'weekly')(context(at));
    assert.deepEqual(asked, [['weekly', at]]);
    assert.deepEqual(result, { to: 'lead@example.com', message_id: '<m1>', attachments: ['r.pdf', 'r.csv'], rejected_recipients: [] });
  });

  it('fails for good on refused credentials, a refused message or no SMTP, and leaves an unreachable server to the retries', async () => {
    for (const reason of ['dead', 'rejected', 'unconfigured'] as const) {
      const { service } = reports(async () => Promise.reject(new ReportEmailError(reason, `refused: ${reason}`)));
      await assert.rejects(
        reportJob(service, 'daily')(context(new Date())),
        (e: unknown) => e instanceof PermanentJobError && e.code === `REPORT_${reason.toUpperCase()}`,
      );
    }
    for (const reason of ['retry', 'report'] as const) {
      const { service } = reports(async () => Promise.reject(new ReportEmailError(reason, `later: ${reason}`)));
      await assert.rejects(
        reportJob(service, 'daily')(context(new Date())),
        (e: unknown) => e instanceof ReportEmailError && !(e instanceof PermanentJobError),
      );
    }
  });
});
