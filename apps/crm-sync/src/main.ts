import { runService } from '@churn/service-kit';
import { crmSyncConfigSchema } from './config';
import { CrmSyncModule } from './crm-sync.module';

runService({ name: 'crm-sync', configSchema: crmSyncConfigSchema, module: (config) => CrmSyncModule.register(config) });
