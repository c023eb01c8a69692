import { runService } from '@churn/service-kit';
import { AlertingModule } from './alerting.module';
import { alertingConfigSchema } from './config';
import { configureAlertingHttp } from './http-setup';

runService({
  name: 'alerting',
  configSchema: alertingConfigSchema,
  module: (config) => AlertingModule.register(config),
  configure: (app) => configureAlertingHttp(app),
});
