/**
 * The platform's scheduled jobs, by the name each is registered, queued and recorded under (pg-boss
 * queue, `job_runs.job`, the `job` label of the metrics), with the variable that sets its schedule.
 */
export const JOB_SCHEDULE_VARIABLES = {
  rescore: 'SCHEDULE_RESCORE',
  'close-label-windows': 'SCHEDULE_CLOSE_LABEL_WINDOWS',
  retrain: 'SCHEDULE_RETRAIN',
  'promotion-gate': 'SCHEDULE_PROMOTION_GATE',
  'report-daily': 'SCHEDULE_REPORT_DAILY',
  'report-weekly': 'SCHEDULE_REPORT_WEEKLY',
} as const;

export type JobName = keyof typeof JOB_SCHEDULE_VARIABLES;
export const JOB_NAMES = Object.keys(JOB_SCHEDULE_VARIABLES) as JobName[];

export function isJobName(value: string): value is JobName {
  return Object.hasOwn(JOB_SCHEDULE_VARIABLES, value);
}
