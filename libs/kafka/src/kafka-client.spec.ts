import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kafkaEnvSchema, parseConfig } from '@churn/config';
import { createLogger } from '@churn/observability';
import { createKafka, saslOptions } from './kafka-client';

/** SASL/SSL come from the environment only: parsed, validated together, and handed to kafkajs. */
describe('Kafka client security settings from the environment', () => {
  const parse = (env: Record<string, string>) => parseConfig(kafkaEnvSchema, env);

  it('uses neither SASL nor TLS when the environment names none', () => {
    const env = parse({ KAFKA_BROKERS: 'b1:9092' });
    assert.equal(env.KAFKA_SSL, false);
    assert.equal(saslOptions(env), undefined);
  });

  for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
    it(`maps KAFKA_SASL_MECHANISM=${mechanism} with its credentials, over TLS`, () => {
      const env = parse({
        KAFKA_BROKERS: 'b1:9093,b2:9093',
        KAFKA_SSL: 'true',
        KAFKA_SASL_MECHANISM: mechanism,
        KAFKA_SASL_USERNAME: 'svc-churn',
        KAFKA_SASL_PASSWORD: 'pw-123',
      });
      assert.equal(env.KAFKA_SSL, true);
      assert.deepEqual(env.KAFKA_BROKERS, ['b1:9093', 'b2:9093']);
      assert.deepEqual(saslOptions(env), { mechanism, username: 'svc-churn', password: 'pw-123' });
      // The client builds without connecting; kafkajs would refuse a malformed SASL block here.
      assert.ok(createKafka(env, 'spec', createLogger({ service: 'spec', level: 'silent' })));
    });
  }

  it('refuses a mechanism without credentials, an unknown mechanism and a non-boolean KAFKA_SSL, naming the variables', () => {
    assert.throws(
      () => parse({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' }),
      /KAFKA_SASL_PASSWORD: is required when KAFKA_SASL_MECHANISM is set/,
    );
    assert.throws(() => parse({ KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }), /KAFKA_SASL_MECHANISM/);
    assert.throws(() => parse({ KAFKA_SSL: 'yes please' }), /KAFKA_SSL/);
  });

  it('does not put the SASL password into the error message of a bad configuration', () => {
    assert.throws(
      () => parse({ KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'super-secret-pw' }),
      (error: Error) => !error.message.includes('super-secret-pw'),
    );
  });
});
