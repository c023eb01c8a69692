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
    assert.deepEqual(
      [defaults.AUTO_PROMOTE, defaults.PROMOTION_GATE_MARGIN, defaults.PROMOTION_GATE_MIN_OUTCOMES, defaults.SCHEDULE_PROMOTION_GATE],
      [false, 0.005, 200, null],
    );
    assert.throws(
      () => parseConfig(monitoringConfigSchema, { AUTO_PROMOTE: 'true' }),
      (error: unknown) => error instanceof ConfigError && /AUTO_PROMOTE: needs AUTH_JWT_SECRET/.test(error.message),
    );
    const on = parseConfig(monitoringConfigSchema, { AUTO_PROMOTE: 'true', AUTH_JWT_SECRET: 'x'.repeat(32), SCHEDULE_PROMOTION_GATE: '0 6 * * *' });
    assert.deepEqual([on.AUTO_PROMOTE, on.SCHEDULE_PROMOTION_GATE], [true, '0 6 * * *']);
  });

  it('turns sign-in on only with a complete OpenID client, a valid role map and the secret forwarded requests are signed with', () => {
    const fields = (env: Record<string, string>) => {
      const result = monitoringConfigSchema.safeParse(env);
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    const complete = {
      AUTH_JWT_SECRET: 'x'.repeat(32),
      OIDC_ISSUER_URL: 'https://login.example.com/',
      OIDC_CLIENT_ID: 'churn-radar',
      OIDC_CLIENT_SECRET: 's3cret',
      OIDC_REDIRECT_URL: 'https://churn.example.com/auth/callback',
      OIDC_ROLE_MAP: 'churn-agents:agent,churn-admins:admin',
    };
    assert.deepEqual(fields(complete), []);
    assert.deepEqual(fields({}), [], 'off by default');
    assert.deepEqual(
      fields({ OIDC_ISSUER_URL: 'https://login.example.com/' }).map((f) => f.split(':')[0]),
      ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL', 'OIDC_ROLE_MAP', 'OIDC_ISSUER_URL'],
      'every missing variable named at once',
    );
    assert.deepEqual(fields({ ...complete, OIDC_ROLE_MAP: 'churn-agents:viewer' }), [
      'OIDC_ROLE_MAP: "churn-agents:viewer": the role must be one of agent, admin',
    ]);
    assert.deepEqual(fields({ ...complete, OIDC_ISSUER_URL: 'http://login.example.com/' }), [
      'OIDC_ISSUER_URL: must be https (http only on a loopback host, for a local provider)',
    ]);
    assert.deepEqual(fields({ ...complete, OIDC_ISSUER_URL: 'http://127.0.0.1:4000/' }), []);
    assert.deepEqual(
      fields({ ...complete, OIDC_CLIENT_SECRET_FILE: '/nonexistent/secret' }).map((f) => f.split(':')[0]),
      ['OIDC_CLIENT_SECRET_FILE', 'OIDC_CLIENT_SECRET_FILE'],
    );
    assert.deepEqual(fields({ ...complete, SESSION_IDLE_TIMEOUT_SECONDS: '7200', SESSION_MAX_AGE_SECONDS: '3600' }), [
      'SESSION_IDLE_TIMEOUT_SECONDS: must not exceed SESSION_MAX_AGE_SECONDS',
    ]);
    assert.deepEqual(fields({ OIDC_ROLE_MAP: 'a:agent' }), ['OIDC_ROLE_MAP: needs OIDC_ISSUER_URL']);
  });
});
