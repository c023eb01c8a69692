import { describe } from 'node:test';
import { itRefusesKafkaSaslWithoutCredentials } from '@churn/testing';
import { monitoringConfigSchema } from './config';

describe('monitoring configuration', () => {
  itRefusesKafkaSaslWithoutCredentials(monitoringConfigSchema);
});
