import { runService } from '@churn/service-kit';
import { scorerConfigSchema } from './config';
import { configureScorerHttp } from './http-setup';
import { ScorerModule } from './scorer.module';

runService({
  name: 'scorer',
  configSchema: scorerConfigSchema,
  module: (config) => ScorerModule.register(config),
  configure: (app) => configureScorerHttp(app),
});
