import { Inject, Injectable } from '@nestjs/common';
import { Database } from '@churn/db';
import { LabelWindowRepository, type ClosedLabelWindows } from '@churn/monitoring-data';
import { getOrCreateCounter, getOrCreateHistogram, LATENCY_BUCKETS_SECONDS, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '@churn/service-kit';
import type { MonitoringConfig } from '../config';

/**
 * The label-window job (`close-label-windows`): records `churned: false` for every customer whose
 * label window closed without a churn (docs/monitoring.md, "Label windows"). A plain method so that a
 * scheduler, the admin endpoint and tests call the same thing; one transaction, so a run stopped half
 * way records nothing and the next one records it all.
 */
@Injectable()
export class LabelWindowsService {
  private readonly windows = new LabelWindowRepository();
  private readonly logger: Logger;
  private readonly metrics;

  constructor(
    private readonly database: Database,
    @Inject(SERVICE_CONFIG) private readonly config: MonitoringConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: LabelWindowsService.name });
    this.metrics = {
      windows: getOrCreateCounter(registry, {
        name: 'monitoring_label_windows_total',
        help: 'Label windows found closed, by result: not_churned (churned:false recorded), churned (a churn in the window labels it), labelled (another outcome in it: a feed or person, or a re-scoring inside a closed window), already_recorded.',
        labelNames: ['result'] as const,
      }),
      runs: getOrCreateCounter(registry, {
        name: 'monitoring_label_window_runs_total',
        help: 'Closings of label windows, by result (succeeded, failed).',
        labelNames: ['result'] as const,
      }),
      duration: getOrCreateHistogram(registry, {
        name: 'monitoring_label_window_run_seconds',
        help: 'Duration of one closing of label windows.',
        labelNames: [] as const,
        buckets: LATENCY_BUCKETS_SECONDS,
      }),
    };
  }

  get windowDays(): number {
    return this.config.OUTCOME_LABEL_WINDOW_DAYS;
  }

  async close(now: Date = new Date()): Promise<ClosedLabelWindows> {
    const endTimer = this.metrics.duration.startTimer();
    try {
      const result = await this.database.transaction((tx) => this.windows.close(tx, now, this.windowDays));
      this.metrics.windows.inc({ result: 'not_churned' }, result.recorded);
      this.metrics.windows.inc({ result: 'churned' }, result.churnedInWindow);
      this.metrics.windows.inc({ result: 'labelled' }, result.labelledInWindow);
      this.metrics.windows.inc({ result: 'already_recorded' }, result.alreadyRecorded);
      this.metrics.runs.inc({ result: 'succeeded' });
      this.logger.info({ now: now.toISOString(), window_days: this.windowDays, ...result }, 'label windows closed');
      return result;
    } catch (error) {
      this.metrics.runs.inc({ result: 'failed' });
      this.logger.error({ now: now.toISOString(), err: error }, 'closing label windows failed');
      throw error;
    } finally {
      endTimer();
    }
  }
}
