import { runService } from '@churn/service-kit';
import { AlertingModule } from './alerting.module';
import { alertingConfigSchema } from './config';

runService({ name: 'alerting', configSchema: alertingConfigSchema, module: () => AlertingModule });
