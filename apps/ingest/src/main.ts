import { runService } from '@churn/service-kit';
import { ingestConfigSchema } from './config';
import { IngestModule } from './ingest.module';

runService({ name: 'ingest', configSchema: ingestConfigSchema, module: (config) => IngestModule.register(config) });
