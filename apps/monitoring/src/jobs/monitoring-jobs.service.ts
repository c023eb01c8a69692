import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Database } from '@churn/db';
import type { Logger, Registry } from '@churn/observability';
import { JobScheduler } from '@churn/scheduler';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '@churn/service-kit';
import type { MonitoringConfig } from '../config';
import { LabelWindowsService } from '../label-windows/label-windows.service';
import { PromotionGateService } from '../promotion-gate/promotion-gate.service';
import { ReportMailService } from '../reports/report-mail.service';
import { reportJob } from './report-jobs';

/**
 * The scheduled jobs that read monitoring's data, run in monitoring (every replica; pg-boss runs each
 * tick once across them). `retrain` and `rescore` run in `churn jobs worker`, which has the trainer
 * and the event-log tooling; both use libs/scheduler on the same queues.
 */
@Injectable()
export class MonitoringJobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly scheduler: JobScheduler;

  constructor(
    database: Database,
    gate: PromotionGateService,
    reports: ReportMailService,
    labelWindows: LabelWindowsService,
    @Inject(SERVICE_CONFIG) config: MonitoringConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.scheduler = new JobScheduler({ config, databaseUrl: config.DATABASE_URL, database, logger, registry });
    this.scheduler.register('promotion-gate', (job) => gate.run(job));
    this.scheduler.register('report-daily', reportJob(reports, 'daily'));
    this.scheduler.register('report-weekly', reportJob(reports, 'weekly'));
    // As of the tick's scheduled time: every attempt of one tick closes the same windows (ids are per customer and window).
    this.scheduler.register('close-label-windows', async (job) => ({ ...(await labelWindows.close(job.scheduledAt)) }));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.scheduler.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
  }
}
