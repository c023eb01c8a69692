import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { itRefusesKafkaSaslWithoutCredentials } from '@churn/testing';
import { alertingConfigSchema } from './config';

function problems(env: Record<string, string>): string[] {
  const result = alertingConfigSchema.safeParse(env);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('alerting configuration', () => {
  itRefusesKafkaSaslWithoutCredentials(alertingConfigSchema);

  const smtp = { SMTP_URL: 'smtp://u:p@127.0.0.1:2525', ALERT_EMAIL_TO: 'retention@example.com' };

  it('accepts a sender with a display name and comma-separated recipients', () => {
    assert.deepEqual(problems({ ...smtp, ALERT_EMAIL_FROM: 'Churn Radar <alerts@example.com>', ALERT_EMAIL_TO: 'a@example.com, Bea <b@example.com>' }), []);
    assert.deepEqual(problems({ ...smtp, ALERT_EMAIL_FROM: 'churn-radar@localhost' }), []);
    assert.deepEqual(problems(smtp), [], 'the default sender is valid');
  });

  it('refuses a sender or recipient that is not an e-mail address, naming the variable', () => {
    assert.match(problems({ ...smtp, ALERT_EMAIL_FROM: 'Churn Radar' }).join('\n'), /^ALERT_EMAIL_FROM: .*not an e-mail address/m);
    assert.match(problems({ ...smtp, ALERT_EMAIL_FROM: 'a@example.com, b@example.com' }).join('\n'), /^ALERT_EMAIL_FROM: must be one e-mail address/m);
    assert.match(problems({ ...smtp, ALERT_EMAIL_TO: 'retention team' }).join('\n'), /^ALERT_EMAIL_TO: /m);
    assert.match(
      problems({ ...smtp, OPS_EMAIL_TO: 'ops@example.com, not-an-address' }).join('\n'),
      /^OPS_EMAIL_TO: "not-an-address" is not an e-mail address/m,
    );
  });

  it('needs SMTP_URL for the operators’ e-mail and validates the operators’ webhook', () => {
    assert.match(problems({ OPS_EMAIL_TO: 'ops@example.com' }).join('\n'), /^OPS_EMAIL_TO: needs SMTP_URL/m);
    assert.match(problems({ OPS_SLACK_WEBHOOK_URL: 'hooks.slack.com/services/x' }).join('\n'), /^OPS_SLACK_WEBHOOK_URL: /m);
    assert.deepEqual(
      problems({ ...smtp, OPS_EMAIL_TO: 'ops@example.com', OPS_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X', OPS_ALERT_COOLDOWN_HOURS: '6' }),
      [],
    );
  });

  it('takes the acknowledgment expiry in hours, fractions allowed, and refuses zero, negative or more than a year', () => {
    assert.equal(alertingConfigSchema.parse({}).ALERT_ACK_EXPIRY_HOURS, 72);
    assert.equal(alertingConfigSchema.parse({ ALERT_ACK_EXPIRY_HOURS: '0.5' }).ALERT_ACK_EXPIRY_HOURS, 0.5);
    for (const bad of ['0', '-1', '8761', 'three days']) assert.match(problems({ ALERT_ACK_EXPIRY_HOURS: bad }).join('\n'), /^ALERT_ACK_EXPIRY_HOURS: /m, bad);
  });
});
