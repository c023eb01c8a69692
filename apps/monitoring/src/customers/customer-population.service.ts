import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Database } from '@churn/db';
import { MonitoringCustomersRepository, type PopulationSummary } from '@churn/monitoring-data';
import { getOrCreateCounter, getOrCreateGauge, getOrCreateHistogram, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '@churn/service-kit';
import type { MonitoringConfig } from '../config';
import { CustomerReadModel } from './customer-read-model.service';

/**
 * Recomputes the population's distribution of every feature of the active spec (quantiles for numbers,
 * shares for categories and booleans) over the customers' newest vectors of that spec, every
 * MONITORING_POPULATION_INTERVAL_MS and at start, so that a customer page reads a stored summary
 * instead of aggregating every customer per request. Every replica refreshes; the result is the same.
 */
@Injectable()
export class CustomerPopulationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly repository = new MonitoringCustomersRepository();
  private readonly logger: Logger;
  private readonly duration;
  private readonly failures;
  private readonly lastRefresh;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly database: Database,
    private readonly readModel: CustomerReadModel,
    @Inject(SERVICE_CONFIG) private readonly config: MonitoringConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: CustomerPopulationService.name });
    this.duration = getOrCreateHistogram(registry, {
      name: 'monitoring_customer_population_refresh_seconds',
      help: "Time to recompute the population's feature distributions.",
      labelNames: [],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    });
    this.failures = getOrCreateCounter(registry, {
      name: 'monitoring_customer_population_refresh_failures_total',
      help: 'Population refreshes that failed (the previous distributions stay).',
      labelNames: [],
    });
    this.lastRefresh = getOrCreateGauge(registry, {
      name: 'monitoring_customer_population_last_refresh_timestamp_seconds',
      help: "When the population's feature distributions were last recomputed.",
      labelNames: [],
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), this.config.MONITORING_POPULATION_INTERVAL_MS);
    this.timer.unref();
    void this.refresh().catch(() => undefined);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Recomputes now; a call during a refresh shares it. */
  refresh(): Promise<void> {
    this.inFlight ??= this.compute()
      .catch((error: unknown) => {
        this.failures.inc();
        this.logger.error({ err: error }, 'customer population refresh failed');
        throw error;
      })
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async compute(): Promise<void> {
    const stop = this.duration.startTimer();
    const spec = this.readModel.spec;
    const numeric = spec.columns.filter((c) => c.type === 'numeric').map((c) => c.name);
    const categorical = spec.columns.filter((c) => c.type !== 'numeric').map((c) => c.name);
    const now = new Date();
    const summaries: Map<string, PopulationSummary> = await this.repository.computePopulation(this.database, spec.hash, numeric, categorical);
    await this.database.transaction((tx) => this.repository.replacePopulation(tx, spec.hash, summaries, now));
    const seconds = stop();
    this.lastRefresh.set(now.getTime() / 1000);
    this.logger.debug({ features: summaries.size, seconds }, 'customer population refreshed');
  }
}
