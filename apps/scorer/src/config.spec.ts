import { describe } from 'node:test';
import { itRefusesKafkaSaslWithoutCredentials } from '@churn/testing';
import { scorerConfigSchema } from './config';

describe('scorer configuration', () => {
  itRefusesKafkaSaslWithoutCredentials(scorerConfigSchema);
});
