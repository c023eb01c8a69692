import { z } from 'zod';
import type { ReportPeriodBounds } from '@churn/monitoring-data';

const DAY_MS = 86_400_000;
export const REPORT_FORMATS = ['csv', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A day (`2026-03-01`, midnight UTC) or an ISO-8601 time with its zone. */
export const instant = z.union([z.iso.date().transform((d) => new Date(`${d}T00:00:00Z`)), z.iso.datetime({ offset: true }).transform((t) => new Date(t))], {
  error: 'must be a date (2026-03-01) or an ISO-8601 time with its zone (2026-03-01T00:00:00Z)',
});

export interface ReportLimits {
  /** REPORT_MAX_PERIOD_DAYS. */
  readonly maxPeriodDays: number;
  /** REPORT_TOP_CUSTOMERS: the default of `top`. */
  readonly defaultTop: number;
}

/** Checks the period [from, to): it ends after it starts, starts no later than now, and is at most `maxPeriodDays` long. */
function checkPeriod(p: { from: Date; to: Date }, ctx: z.RefinementCtx, limits: ReportLimits): void {
  if (p.to.getTime() <= p.from.getTime()) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be later than from' });
  else if (p.to.getTime() - p.from.getTime() > limits.maxPeriodDays * DAY_MS) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `the period may be at most ${limits.maxPeriodDays} days (REPORT_MAX_PERIOD_DAYS)` });
  }
  if (p.from.getTime() > Date.now()) ctx.addIssue({ code: 'custom', path: ['from'], message: 'is in the future: nothing has happened in that period yet' });
}

/** `GET /v1/reports`: `from`, `to`, `format` (default pdf), `top` (default REPORT_TOP_CUSTOMERS). */
export function reportQuerySchema(limits: ReportLimits) {
  return z
    .object({
      from: instant,
      to: instant,
      format: z.enum(REPORT_FORMATS).default('pdf'),
      top: z.coerce.number().int().min(1).max(500).default(limits.defaultTop),
    })
    .strict()
    .superRefine((p, ctx) => checkPeriod(p, ctx, limits));
}

/** `POST /v1/reports/email`: the period, and recipients other than REPORT_EMAIL_TO if wanted. */
export function reportEmailBodySchema(limits: ReportLimits, recipients: z.ZodType<string>) {
  return z
    .object({ from: instant, to: instant, recipients: recipients.optional(), top: z.number().int().min(1).max(500).default(limits.defaultTop) })
    .strict()
    .superRefine((p, ctx) => checkPeriod(p, ctx, limits));
}

/** The period of the same length just before `period`: what the risk distribution is compared with. */
export function previousPeriod(period: ReportPeriodBounds): ReportPeriodBounds {
  const length = period.to.getTime() - period.from.getTime();
  return { from: new Date(period.from.getTime() - length), to: period.from };
}

export function periodDays(period: ReportPeriodBounds): number {
  return Math.round(((period.to.getTime() - period.from.getTime()) / DAY_MS) * 1000) / 1000;
}

/** The periods of the scheduled reports: `report-daily` and `report-weekly`. */
export type ScheduledReport = 'daily' | 'weekly';

/**
 * The last whole period before `now`: the UTC day that ended at the last midnight (daily), or the
 * seven days that ended then (weekly). A job that runs at 06:00 on 8 March reports [7 Mar, 8 Mar)
 * or [1 Mar, 8 Mar); a retry later that day reports the same period.
 */
export function lastCompletedPeriod(kind: ScheduledReport, now: Date): ReportPeriodBounds {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return { from: new Date(to.getTime() - (kind === 'daily' ? 1 : 7) * DAY_MS), to };
}
