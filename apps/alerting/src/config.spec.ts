import { describe } from 'node:test';
import { itRefusesKafkaSaslWithoutCredentials } from '@churn/testing';
import { alertingConfigSchema } from './config';

describe('alerting configuration', () => {
  itRefusesKafkaSaslWithoutCredentials(alertingConfigSchema);
});
