import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HealthRegistry } from './health';
import { redactUrl } from './logger';

describe('HealthRegistry', () => {
  it('is ready only when every check passes', async () => {
    const health = new HealthRegistry();
    let kafkaJoined = false;
    health.register('postgres', () => true);
    health.register('kafka-consumer', () => kafkaJoined);
    assert.deepEqual(await health.report(), { status: 'unavailable', checks: { postgres: 'ok', 'kafka-consumer': 'failing' } });
    kafkaJoined = true;
    assert.equal((await health.report()).status, 'ok');
  });

  it('keeps liveness apart from readiness: a not-ready process is alive, a stopped part is not', async () => {
    const health = new HealthRegistry();
    let consumerCrashed = false;
    health.register('kafka-consumer', () => false);
    health.registerLiveness('kafka-consumer', () => !consumerCrashed);
    assert.equal((await health.report()).status, 'unavailable');
    assert.deepEqual(await health.liveness(), { status: 'ok', checks: { 'kafka-consumer': 'ok' } });
    consumerCrashed = true;
    assert.deepEqual(await health.liveness(), { status: 'unavailable', checks: { 'kafka-consumer': 'failing' } });
  });

  it('counts a throwing or hanging check as failing', async () => {
    const health = new HealthRegistry();
    health.register('throws', () => {
      throw new Error('boom');
    });
    health.register('hangs', () => new Promise<boolean>(() => undefined));
    const report = await health.report(50);
    assert.deepEqual(report.checks, { throws: 'failing', hangs: 'failing' });
  });
});

describe('redactUrl', () => {
  it('hides the password of a connection string', () => {
    assert.equal(redactUrl('postgres://churn:s3cret@db:5432/churn'), 'postgres://churn:***@db:5432/churn');
  });
});
