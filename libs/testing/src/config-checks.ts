import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { z } from 'zod';

/**
 * The problems a schema reports for an environment, named by variable as parseConfig (libs/config)
 * names them. Test helpers stand below the libraries they help test, so this reads the schema's own
 * issues rather than importing @churn/config.
 */
const problemsOf = (schema: z.ZodType, env: Record<string, string>): string[] => {
  const result = schema.safeParse(env);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(environment)'}: ${issue.message}`);
};

/**
 * A service's own config schema (not a copy) refuses KAFKA_SASL_MECHANISM without its credentials,
 * naming each missing variable, and lists them beside any other bad variable.
 */
export function itRefusesKafkaSaslWithoutCredentials(schema: z.ZodType): void {
  it('refuses KAFKA_SASL_MECHANISM without KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD, naming the missing ones', () => {
    const neither = problemsOf(schema, { KAFKA_SASL_MECHANISM: 'plain' });
    assert.ok(
      neither.some((p) => p.startsWith('KAFKA_SASL_USERNAME:')),
      neither.join('\n'),
    );
    assert.ok(
      neither.some((p) => p.startsWith('KAFKA_SASL_PASSWORD:')),
      neither.join('\n'),
    );
    const noPassword = problemsOf(schema, { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'svc-churn', PORT: 'not-a-port' });
    assert.ok(
      noPassword.some((p) => p.startsWith('KAFKA_SASL_PASSWORD:')),
      noPassword.join('\n'),
    );
    assert.ok(!noPassword.some((p) => p.startsWith('KAFKA_SASL_USERNAME:')), noPassword.join('\n'));
    assert.ok(
      noPassword.some((p) => p.startsWith('PORT:')),
      'other bad variables are listed in the same error',
    );
    assert.deepEqual(problemsOf(schema, { KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'svc-churn', KAFKA_SASL_PASSWORD: 'pw' }), []);
    assert.deepEqual(problemsOf(schema, {}), []);
  });
}
