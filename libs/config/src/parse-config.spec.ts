import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from './config.error';
import { databaseEnvSchema, kafkaEnvSchema, LOCAL_DATABASE_URL } from './env-schemas';
import { parseConfig } from './parse-config';

describe('parseConfig', () => {
  it('applies the contract defaults when variables are unset', () => {
    const kafka = parseConfig(kafkaEnvSchema, {});
    assert.deepEqual(kafka.KAFKA_BROKERS, ['127.0.0.1:9092']);
    assert.equal(parseConfig(databaseEnvSchema, {}).DATABASE_URL, LOCAL_DATABASE_URL);
  });

  it('splits and trims the broker list', () => {
    assert.deepEqual(parseConfig(kafkaEnvSchema, { KAFKA_BROKERS: ' a:9092, b:9093 ' }).KAFKA_BROKERS, ['a:9092', 'b:9093']);
  });

  it('lists every bad variable in one error', () => {
    const schema = kafkaEnvSchema.extend(databaseEnvSchema.shape);
    assert.throws(
      () => parseConfig(schema, { KAFKA_BROKERS: 'nohost', DATABASE_URL: 'mysql://x', DATABASE_POOL_SIZE: '0' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const text = error.problems.join('\n');
        assert.match(text, /KAFKA_BROKERS/);
        assert.match(text, /DATABASE_URL/);
        assert.match(text, /DATABASE_POOL_SIZE/);
        return true;
      },
    );
  });

  it('requires SASL credentials together with a mechanism', () => {
    const schema = kafkaEnvSchema.extend(databaseEnvSchema.shape);
    assert.throws(() => parseConfig(schema, { KAFKA_SASL_MECHANISM: 'scram-sha-512' }), /KAFKA_SASL_USERNAME: [^]*KAFKA_SASL_PASSWORD: /);
    assert.throws(
      () => parseConfig(kafkaEnvSchema, { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: 'p' }),
      (e: Error) => /KAFKA_SASL_USERNAME/.test(e.message) && !/KAFKA_SASL_PASSWORD/.test(e.message),
    );
    const ok = parseConfig(schema, { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p', KAFKA_SSL: 'true' });
    assert.equal(ok.KAFKA_SSL, true);
  });
});
