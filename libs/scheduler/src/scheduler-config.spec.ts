import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig } from '@churn/config';
import { scheduleOf, schedulerEnvSchema, tickIntervalSeconds } from './scheduler-config';

describe('scheduler configuration', () => {
  it('reads schedules, an empty one as no schedule, and the defaults', () => {
    const config = parseConfig(schedulerEnvSchema, { SCHEDULE_RESCORE: '0 3 * * *', SCHEDULE_RETRAIN: '', SCHEDULER_TIMEZONE: 'Europe/Paris' });
    assert.equal(scheduleOf(config, 'rescore'), '0 3 * * *');
    assert.equal(scheduleOf(config, 'retrain'), null);
    assert.equal(scheduleOf(config, 'promotion-gate'), null);
    assert.deepEqual([config.SCHEDULER_SCHEMA, config.JOB_RETRY_LIMIT, config.JOB_HEARTBEAT_SECONDS], ['pgboss', 2, 60]);
  });

  it('refuses a malformed cron expression, an unknown zone and a heartbeat under pg-boss minimum, naming each', () => {
    assert.throws(
      () =>
        parseConfig(schedulerEnvSchema, {
          SCHEDULE_RESCORE: '0 25 * * *',
          SCHEDULE_RETRAIN: 'weekly',
          SCHEDULER_TIMEZONE: 'Mars/Olympus',
          JOB_HEARTBEAT_SECONDS: '5',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const text = error.message;
        for (const name of ['SCHEDULE_RESCORE', 'SCHEDULE_RETRAIN', 'SCHEDULER_TIMEZONE', 'JOB_HEARTBEAT_SECONDS']) assert.match(text, new RegExp(name));
        return true;
      },
    );
  });

  it('measures the interval between ticks in the schedule zone', () => {
    assert.equal(tickIntervalSeconds('0 3 * * *', 'UTC'), 86_400);
    assert.equal(tickIntervalSeconds('0 7 * * 1', 'Europe/Paris', new Date('2026-01-05T12:00:00Z')), 7 * 86_400);
    assert.equal(tickIntervalSeconds('*/10 * * * * *', 'UTC'), 10);
  });
});
