import { describe } from 'node:test';
import { itRefusesKafkaSaslWithoutCredentials } from '@churn/testing';
import { ingestConfigSchema } from './config';

describe('ingest configuration', () => {
  itRefusesKafkaSaslWithoutCredentials(ingestConfigSchema);
});
