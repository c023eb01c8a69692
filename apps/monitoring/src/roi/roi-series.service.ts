import { Inject, Injectable } from '@nestjs/common';
import type { Histogram } from 'prom-client';
import { Database } from '@churn/db';
import { InterventionRepository, MonitoringRepository, ReportRepository } from '@churn/monitoring-data';
import { getOrCreateHistogram, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '@churn/service-kit';
import type { MonitoringConfig } from '../config';
import { economicsAssumptions, programmeEconomics, type RoiFigures } from './programme-economics';
import { roiBuckets, type RoiSeriesQuery } from './roi-series';

export interface RoiSeriesPoint extends RoiFigures {
  readonly from: string;
  readonly to: string;
}

export interface RoiSeries {
  readonly from: string;
  readonly to: string;
  readonly bucket: RoiSeriesQuery['bucket'];
  readonly assumptions: { retention_success_rate: number; clv_months: number };
  /** The whole period as one (each customer counted once, at their newest prediction in it). */
  readonly total: RoiFigures;
  readonly points: RoiSeriesPoint[];
}

/**
 * ROI over time: the programme's economics of each bucket of a period, computed from monitoring's
 * tables by the same function as the rolling figures and the reports (`programmeEconomics` over a
 * closed period): each bucket's exposures are the customers scored in it, at their newest prediction
 * there; the costs those recorded in it.
 */
@Injectable()
export class RoiSeriesService {
  private readonly reports = new ReportRepository();
  private readonly monitoring = new MonitoringRepository();
  private readonly interventions = new InterventionRepository();
  private readonly logger: Logger;
  private readonly duration: Histogram<'bucket'>;

  constructor(
    private readonly database: Database,
    @Inject(SERVICE_CONFIG) private readonly config: MonitoringConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: RoiSeriesService.name });
    this.duration = getOrCreateHistogram(registry, {
      name: 'monitoring_roi_series_duration_seconds',
      help: 'Time to compute one ROI series (GET /v1/metrics/roi/series), by bucket size.',
      labelNames: ['bucket'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  }

  async series(query: RoiSeriesQuery): Promise<RoiSeries> {
    const stop = this.duration.startTimer({ bucket: query.bucket });
    const assumptions = economicsAssumptions(this.config);
    const minimumPerArm = this.config.MONITORING_EXPERIMENT_MIN_PER_ARM;
    const buckets = roiBuckets(query.from, query.to, query.bucket);
    // One snapshot for every read: the buckets and the total are computed from the same stored
    // predictions, so a consumer storing more meanwhile cannot make the points disagree with the total.
    const { points, total } = await this.database.transaction(
      async (db) => {
        // In turn: a transaction's statements share one connection.
        const labelled = await this.monitoring.labelledPredictions(db, this.config.MONITORING_LABEL_DELAY_DAYS);
        const costs = await this.interventions.costsSince(db, query.from);
        const economicsOf = async (period: { from: Date; to: Date }) =>
          programmeEconomics(query.bucket, period.from, await this.reports.exposures(db, period), labelled, costs, assumptions, minimumPerArm, period.to);
        const points: RoiSeriesPoint[] = [];
        // One bucket at a time: a year of days is 366 small reads on the snapshot's one connection.
        for (const bucket of buckets) points.push({ from: bucket.from.toISOString(), to: bucket.to.toISOString(), ...(await economicsOf(bucket)).overall });
        return { points, total: await economicsOf(query) };
      },
      { snapshot: true },
    );
    const seconds = stop();
    this.logger.debug(
      { from: query.from, to: query.to, bucket: query.bucket, points: points.length, duration_ms: Math.round(seconds * 1000) },
      'ROI series computed',
    );
    return {
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      bucket: query.bucket,
      assumptions: { retention_success_rate: assumptions.retentionSuccessRate, clv_months: assumptions.clvMonths },
      total: total.overall,
      points,
    };
  }
}
