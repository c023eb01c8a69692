import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig } from '@churn/config';
import { itRefusesKafkaSaslWithoutCredentials } from '@churn/testing';
import { monitoringConfigSchema } from './config';

describe('monitoring configuration', () => {
  itRefusesKafkaSaslWithoutCredentials(monitoringConfigSchema);

  it('e-mails reports only through an SMTP server, to valid addresses', () => {
    const fields = (env: Record<string, string>) => {
      const result = monitoringConfigSchema.safeParse(env);
      return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
    };
    assert.deepEqual(fields({ REPORT_EMAIL_TO: 'lead@example.com' }), ['REPORT_EMAIL_TO']);
    assert.deepEqual(fields({ SMTP_URL: 'smtp://u:p@mail.example.com:587', REPORT_EMAIL_TO: 'lead@example.com, cfo@example.com' }), []);
    assert.deepEqual(fields({ SMTP_URL: 'http://mail.example.com', REPORT_EMAIL_TO: 'not an address' }), ['SMTP_URL', 'REPORT_EMAIL_TO']);
    assert.deepEqual(fields({ REPORT_TOP_CUSTOMERS: '0', REPORT_MAX_PERIOD_DAYS: 'x' }), ['REPORT_TOP_CUSTOMERS', 'REPORT_MAX_PERIOD_DAYS']);
  });

  it('keeps the promotion gate to telling the admins by default, and refuses AUTO_PROMOTE without the secret it signs with', () => {
    const defaults = parseConfig(monitoringConfigSchema, {});
    assert.deepEqual([defaults.AUTO_PROMOTE, defaults.PROMOTION_GATE_MARGIN, defaults.PROMOTION_GATE_MIN_OUTCOMES, defaults.SCHEDULE_PROMOTION_GATE], [false, 0.005, 200, null]);
    assert.throws(() => parseConfig(monitoringConfigSchema, { AUTO_PROMOTE: 'true' }), (error: unknown) => error instanceof ConfigError && /AUTO_PROMOTE: needs AUTH_JWT_SECRET/.test(error.message));
    const on = parseConfig(monitoringConfigSchema, { AUTO_PROMOTE: 'true', AUTH_JWT_SECRET: 'x'.repeat(32), SCHEDULE_PROMOTION_GATE: '0 6 * * *' });
    assert.deepEqual([on.AUTO_PROMOTE, on.SCHEDULE_PROMOTION_GATE], [true, '0 6 * * *']);
  });
});
