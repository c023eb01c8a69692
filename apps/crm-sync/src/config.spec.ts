import { describe } from 'node:test';
import { itRefusesKafkaSaslWithoutCredentials } from '@churn/testing';
import { crmSyncConfigSchema } from './config';

describe('crm-sync configuration', () => {
  itRefusesKafkaSaslWithoutCredentials(crmSyncConfigSchema);
});
