import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig } from '@churn/config';
import { itRefusesKafkaSaslWithoutCredentials } from '@churn/testing';
import { monitoringConfigSchema } from './config';

describe('monitoring configuration', () => {
  itRefusesKafkaSaslWithoutCredentials(monitoringConfigSchema);

  it('keeps the promotion gate to telling the admins by default, and refuses AUTO_PROMOTE without the secret it signs with', () => {
    const defaults = parseConfig(monitoringConfigSchema, {});
    assert.deepEqual([defaults.AUTO_PROMOTE, defaults.PROMOTION_GATE_MARGIN, defaults.PROMOTION_GATE_MIN_OUTCOMES, defaults.SCHEDULE_PROMOTION_GATE], [false, 0.005, 200, null]);
    assert.throws(() => parseConfig(monitoringConfigSchema, { AUTO_PROMOTE: 'true' }), (error: unknown) => error instanceof ConfigError && /AUTO_PROMOTE: needs AUTH_JWT_SECRET/.test(error.message));
    const on = parseConfig(monitoringConfigSchema, { AUTO_PROMOTE: 'true', AUTH_JWT_SECRET: 'x'.repeat(32), SCHEDULE_PROMOTION_GATE: '0 6 * * *' });
    assert.deepEqual([on.AUTO_PROMOTE, on.SCHEDULE_PROMOTION_GATE], [true, '0 6 * * *']);
  });
});
