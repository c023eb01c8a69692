import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
});
