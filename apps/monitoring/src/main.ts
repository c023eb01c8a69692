import { runService } from '@churn/service-kit';
import { monitoringConfigSchema } from './config';
import { MonitoringModule } from './monitoring.module';

runService({ name: 'monitoring', configSchema: monitoringConfigSchema, module: () => MonitoringModule });
