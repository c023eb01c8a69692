import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CHAOS_SECRETS, type ChaosPlatform } from './chaos-platform';

/**
 * Greps every log line the platform's services wrote for the secrets they were configured with,
 * and for the secret parts of the URLs (the Slack webhook's token path, the SMTP password). The
 * local database password (`churn`) is no secret and too common a word to grep for; see
 * docs/security.md.
 */
export function assertNoSecretsInLogs(platform: ChaosPlatform): void {
  const webhookPath = new URL(platform.slack.url).pathname;
  const secrets = { ...CHAOS_SECRETS, SLACK_WEBHOOK_PATH: webhookPath };
  const logs = fs.readdirSync(platform.logDir).filter((f) => f.endsWith('.log'));
  assert.equal(logs.length, 5, 'a log per service');
  let lines = 0;
  for (const file of logs) {
    const text = fs.readFileSync(path.join(platform.logDir, file), 'utf8');
    lines += text.split('\n').length;
    for (const [name, value] of Object.entries(secrets)) {
      assert.ok(!text.includes(value), `${file} contains ${name}`);
    }
  }
  assert.ok(lines > 20, `the services did log (${lines} lines)`);
}
