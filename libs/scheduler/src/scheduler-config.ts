import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { JOB_SCHEDULE_VARIABLES, type JobName } from './job-names';

/** A time zone the runtime knows (IANA name), checked the way cron-parser will use it. */
const timeZone = z
  .string()
  .min(1)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be an IANA time zone such as UTC or Europe/Paris' },
  );

/**
 * A cron expression (5 fields, or 6 with seconds first), parsed by cron-parser as pg-boss will parse
 * it; empty or unset means the job has no schedule (it still runs on `churn jobs run`).
 */
const cronSchedule = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === undefined || value === '' ? null : value))
  .superRefine((value, ctx) => {
    if (value === null) return;
    if (value.split(/\s+/).length < 5 || value.split(/\s+/).length > 6) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a cron expression of 5 or 6 fields` });
      return;
    }
    try {
      CronExpressionParser.parse(value, { strict: false });
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a cron expression: ${(error as Error).message}` });
    }
  });

const scheduleVariables = Object.fromEntries(Object.values(JOB_SCHEDULE_VARIABLES).map((name) => [name, cronSchedule])) as {
  [K in (typeof JOB_SCHEDULE_VARIABLES)[JobName]]: typeof cronSchedule;
};

/** The scheduler's variables, the same in every process that hosts jobs (monitoring, `churn jobs worker`). */
export const schedulerEnvSchema = z.object({
  ...scheduleVariables,
  /** The zone every schedule is read in: `0 3 * * *` is 03:00 there, through daylight-saving changes. */
  SCHEDULER_TIMEZONE: timeZone.default('UTC'),
  /** The Postgres schema pg-boss creates and keeps its queues in (on the platform's DATABASE_URL). */
  SCHEDULER_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier')
    .default('pgboss'),
  /** Attempts after the first when a run fails or its worker dies; 0 = a failed run is not retried. */
  JOB_RETRY_LIMIT: z.coerce.number().int().min(0).max(10).default(2),
  /** Seconds before the first retry; each further retry waits twice as long (pg-boss's retryBackoff). */
  JOB_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /**
   * A running attempt's worker writes a heartbeat every half of this; an attempt without one for this
   * long (its process was killed, or lost the database) is retried or failed. pg-boss's minimum is 10.
   */
  JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).max(3600).default(60),
  /** How often a process checks for attempts whose heartbeat stopped, and for retries that fell due. */
  JOB_SUPERVISE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
});

export type SchedulerConfig = z.output<typeof schedulerEnvSchema>;

/** Seconds between the next two ticks of a cron expression in a zone (a day for `0 3 * * *`). */
export function tickIntervalSeconds(cron: string, tz: string, from = new Date()): number {
  const ticks = CronExpressionParser.parse(cron, { tz, strict: false, currentDate: from });
  const first = ticks.next().getTime();
  return (ticks.next().getTime() - first) / 1000;
}

/** A job's cron expression from the configuration, or null when it has none. */
export function scheduleOf(config: SchedulerConfig, job: JobName): string | null {
  return config[JOB_SCHEDULE_VARIABLES[job]];
}
