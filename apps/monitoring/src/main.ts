import { runService } from '@churn/service-kit';
import { monitoringConfigSchema } from './config';
import { configureMonitoringHttp } from './http-setup';
import { MonitoringModule } from './monitoring.module';

runService({ name: 'monitoring', configSchema: monitoringConfigSchema, module: () => MonitoringModule, configure: configureMonitoringHttp });
