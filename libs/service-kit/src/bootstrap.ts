import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { z } from 'zod';
import { ConfigError, parseConfig } from '@churn/config';
import { createLogger, createMetricsRegistry, HealthRegistry, type Logger } from '@churn/observability';
import type { BaseServiceConfig } from './core/base-config';
import { CoreModule } from './core/core.module';
import { PinoNestLogger } from './core/pino-nest-logger';
import { ErrorStatusTable } from './http/error-statuses';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { requestBodyErrors } from './http/request-body-error';

export interface ServiceDefinition<S extends z.ZodType<BaseServiceConfig>> {
  readonly name: string;
  readonly configSchema: S;
  /** Builds the service's root module from its validated config. */
  readonly module: (config: z.output<S>) => Type<unknown> | DynamicModule;
  readonly env?: Record<string, string | undefined>;
  /** Runs before the body parsers and routes are installed: OpenAPI document, request-specific parsers. */
  readonly configure?: (app: NestExpressApplication, config: z.output<S>) => void | Promise<void>;
}

export interface RunningService {
  readonly app: INestApplication;
  readonly logger: Logger;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts a service the same way for all five: config validated once (exit code 1 with every bad
 * variable listed), JSON logs, metrics and health, then HTTP. SIGTERM/SIGINT stop fetching, let the
 * batch in flight commit, close the pools, and exit within the shutdown budget.
 */
export async function startService<S extends z.ZodType<BaseServiceConfig>>(definition: ServiceDefinition<S>): Promise<RunningService> {
  const env = definition.env ?? process.env;
  const config = parseConfig(definition.configSchema, env);
  const logger = createLogger({ service: definition.name, level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const registry = createMetricsRegistry(definition.name);
  const health = new HealthRegistry();
  const errorStatuses = new ErrorStatusTable();

  const root: DynamicModule = {
    module: class ServiceRoot {},
    imports: [CoreModule.forRoot({ config, logger, registry, health, errorStatuses }), definition.module(config)],
  };
  const app = await NestFactory.create<NestExpressApplication>(root, { logger: new PinoNestLogger(logger), abortOnError: false });
  app.useGlobalFilters(new ProblemDetailsFilter(errorStatuses, logger, definition.name));
  await definition.configure?.(app, config);
  app.useBodyParser('json', { limit: '5mb' });
  app.use(requestBodyErrors);
  await app.listen(config.PORT, '0.0.0.0');
  // PORT=0 (tests) lets the system choose; report the port actually bound.
  const port = (app.getHttpServer().address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  logger.info({ port }, `${definition.name} listening`);
  return { app, logger, url, close: () => app.close() };
}

/** `main.ts` of every service: start, and turn signals into a bounded graceful shutdown. */
export function runService<S extends z.ZodType<BaseServiceConfig>>(definition: ServiceDefinition<S>): void {
  let running: RunningService | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const budgetSeconds = Number(process.env['SHUTDOWN_TIMEOUT_SECONDS'] ?? 10);
    const timer = setTimeout(() => {
      running?.logger.error({ signal }, 'shutdown budget exceeded; exiting');
      process.exit(1);
    }, budgetSeconds * 1000);
    timer.unref();
    running?.logger.info({ signal }, 'shutting down');
    try {
      await running?.close();
      running?.logger.info('stopped');
      process.exit(0);
    } catch (error) {
      running?.logger.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  startService(definition)
    .then((service) => {
      running = service;
      if (stopping) void service.close();
    })
    .catch((error: unknown) => {
      if (error instanceof ConfigError) {
        process.stderr.write(
          `${JSON.stringify({ level: 'fatal', service: definition.name, code: error.code, problems: error.problems, msg: error.message })}\n`,
        );
      } else {
        process.stderr.write(
          `${JSON.stringify({ level: 'fatal', service: definition.name, msg: 'failed to start', err: String((error as Error)?.stack ?? error) })}\n`,
        );
      }
      process.exit(1);
    });
}
