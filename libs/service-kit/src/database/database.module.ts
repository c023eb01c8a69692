import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Database, runMigrations } from '@churn/db';
import { redactUrl, type HealthRegistry, type Logger, type Registry } from '@churn/observability';
import type { BaseServiceConfig } from '../core/base-config';
import { HEALTH, LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '../core/tokens';

/**
 * The process's Postgres pool. Migrations run before the pool is handed out (every service runs
 * them; an advisory lock makes that safe), and the pool closes last at shutdown, after the
 * Kafka consumer has finished its batch.
 */
@Global()
@Module({
  providers: [
    {
      provide: Database,
      inject: [SERVICE_CONFIG, LOGGER, METRICS_REGISTRY, HEALTH],
      useFactory: async (config: BaseServiceConfig & { SERVICE_NAME?: string }, logger: Logger, registry: Registry, health: HealthRegistry) => {
        logger.info({ database: redactUrl(config.DATABASE_URL) }, 'connecting to Postgres');
        await runMigrations(config.DATABASE_URL, logger);
        const database = new Database(
          { url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, applicationName: `churn-${logger.bindings()['service'] ?? 'service'}` },
          logger.child({ context: Database.name }),
          registry,
        );
        health.register('postgres', () => database.isReachable());
        return database;
      },
    },
  ],
  exports: [Database],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly database: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
