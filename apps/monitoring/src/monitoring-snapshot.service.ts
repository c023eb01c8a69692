import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Topics, type ModelAlert, type ModelAssignments } from '@churn/contracts';
import { Database } from '@churn/db';
import {
  InterventionRepository,
  ModelAlertRepository,
  MonitoringModelRegistryRepository,
  MonitoringRepository,
  newestExposures,
  type ExposureRow,
  type LabelledPredictionRow,
  type NewModelAlert,
} from '@churn/monitoring-data';
import { TopicProducer } from '@churn/kafka';
import { getOrCreateCounter, getOrCreateGauge, getOrCreateHistogram, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '@churn/service-kit';
import type { MonitoringConfig } from './config';
import { modelDrift, type DriftThresholds, type ModelDrift } from './drift/drift-check';
import { experimentReport, type ExperimentReport } from './experiments/experiment-report';
import { modelCardFacts, type ModelCardFacts } from './model-cards/model-card';
import { MonitoringGauges } from './monitoring-gauges';
import { cohortDimensions, cohortFeatures, type CohortDimension } from './quality/cohorts';
import { computeModelQuality, WINDOW_DAYS, type ModelQuality } from './quality/model-quality';
import { rolloutComparison, type RolloutComparison } from './quality/rollout-comparison';
import { economicsAssumptions, programmeEconomics, type EconomicsAssumptions, type RoiSnapshot } from './roi/programme-economics';

export const ROI_WINDOWS = ['24h', '7d', '30d'] as const;
export type RoiWindow = (typeof ROI_WINDOWS)[number];

export interface MonitoringSnapshot {
  readonly computed_at: string;
  readonly label_delay_days: number;
  readonly models: readonly ModelQuality[];
  readonly drift: readonly ModelDrift[];
  readonly roi: Readonly<Record<RoiWindow, RoiSnapshot>>;
  /** Which version serves as champion, shadow and rollout (the scorer's registry), so the figures say which is which. */
  readonly serving: ModelAssignments;
  /** During a gradual rollout: the champion and the rollout's version, each on its own customers. */
  readonly rollout: RolloutComparison<Readonly<Record<RoiWindow, RoiSnapshot>>> | null;
}

/**
 * Recomputes model quality, drift and programme economics from the stored predictions and outcomes
 * every MONITORING_REFRESH_INTERVAL_MS and on demand, keeps the latest result for the API and the
 * dashboard, exports it as gauges, and publishes drift breaches on `model-alerts` (once per model,
 * kind, subject and day).
 */
@Injectable()
export class MonitoringSnapshotService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly repository = new MonitoringRepository();
  private readonly versions = new MonitoringModelRegistryRepository();
  private readonly modelAlerts = new ModelAlertRepository();
  private readonly interventions = new InterventionRepository();
  private readonly gauges: MonitoringGauges;
  private readonly logger: Logger;
  private readonly duration;
  private readonly failures;
  private readonly lastRefresh;
  private readonly alertsPublished;
  private current: MonitoringSnapshot | undefined;
  private inFlight: Promise<MonitoringSnapshot> | undefined;
  /** When drift was last computed (ms). */
  private driftComputedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private labelled: LabelledPredictionRow[] = [];
  /** The risk level and the active spec's cohorts. */
  private readonly cohorts: readonly CohortDimension[];

  constructor(
    private readonly database: Database,
    private readonly producer: TopicProducer,
    @Inject(SERVICE_CONFIG) private readonly config: MonitoringConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: MonitoringSnapshotService.name });
    this.gauges = new MonitoringGauges(registry);
    this.cohorts = cohortDimensions(config.FEATURE_SPEC_FILE.spec.business);
    this.duration = getOrCreateHistogram(registry, {
      name: 'monitoring_refresh_duration_seconds',
      help: 'Time to recompute quality, drift and ROI.',
      labelNames: [],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    });
    this.failures = getOrCreateCounter(registry, {
      name: 'monitoring_refresh_failures_total',
      help: 'Refreshes that failed (the previous figures stay).',
      labelNames: [],
    });
    this.lastRefresh = getOrCreateGauge(registry, {
      name: 'monitoring_last_refresh_timestamp_seconds',
      help: 'When the figures were last recomputed.',
      labelNames: [],
    });
    this.alertsPublished = getOrCreateCounter(registry, {
      name: 'monitoring_model_alerts_total',
      help: 'Model alerts published on model-alerts, by kind.',
      labelNames: ['kind'],
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.refresh().catch(() => undefined);
    }, this.config.MONITORING_REFRESH_INTERVAL_MS);
    this.timer.unref();
    this.refresh().catch(() => undefined);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The latest figures; computes them first when there are none yet. */
  async snapshot(): Promise<MonitoringSnapshot> {
    return this.current ?? this.refresh();
  }

  /**
   * Recomputes now; concurrent callers share one computation. `full` (the API's `refresh=true`) recomputes
   * drift too, whatever MONITORING_DRIFT_INTERVAL_MS says — after the computation in flight, if any.
   */
  refresh(options: { full?: boolean } = {}): Promise<MonitoringSnapshot> {
    if (this.inFlight && !options.full) return this.inFlight;
    const previous = this.inFlight?.catch(() => undefined) ?? Promise.resolve();
    const run: Promise<MonitoringSnapshot> = previous
      .then(() => this.compute(options.full ?? false))
      .then((snapshot) => {
        this.current = snapshot;
        return snapshot;
      })
      .catch((error: unknown) => {
        this.failures.inc();
        this.logger.error({ err: error }, 'monitoring refresh failed');
        throw error;
      })
      .finally(() => {
        if (this.inFlight === run) this.inFlight = undefined;
      });
    this.inFlight = run;
    return run;
  }

  /** A retention experiment's arms and comparisons, from the latest labelled outcomes. */
  async experiment(name: string): Promise<ExperimentReport | undefined> {
    await this.snapshot();
    const assignments = await this.repository.experimentAssignments(this.database, name);
    if (assignments.length === 0) return undefined;
    const costs = await this.interventions.costsSince(this.database, null);
    return experimentReport(name, assignments, this.labelled, costs, this.assumptions(), this.config.MONITORING_EXPERIMENT_MIN_PER_ARM);
  }

  /** The programme's economics over a window restricted to one model version's predictions (computed now, not cached). */
  async roiFor(window: RoiWindow, modelVersion: string): Promise<RoiSnapshot> {
    await this.snapshot();
    const since = new Date(Date.now() - WINDOW_DAYS[window]! * 86_400_000);
    const exposures = await this.repository.exposures(this.database, since, modelVersion);
    const costs = await this.interventions.costsSince(this.database, since);
    return programmeEconomics(window, since, exposures, this.labelled, costs, this.assumptions(), this.config.MONITORING_EXPERIMENT_MIN_PER_ARM);
  }

  private assumptions(): EconomicsAssumptions {
    return economicsAssumptions(this.config);
  }

  /** `withDrift`: recompute drift even if MONITORING_DRIFT_INTERVAL_MS has not passed. */
  private async compute(withDrift: boolean): Promise<MonitoringSnapshot> {
    const stop = this.duration.startTimer();
    const now = new Date();
    const cards = new Map<string, ModelCardFacts>((await this.versions.versions(this.database)).map((v) => [v.version, modelCardFacts(v.version, v.card)]));
    const labelled = await this.repository.labelledPredictions(this.database, this.config.MONITORING_LABEL_DELAY_DAYS, undefined, cohortFeatures(this.cohorts));
    const models = computeModelQuality(labelled, cards, now, this.cohorts);

    const roi = {} as Record<RoiWindow, RoiSnapshot>;
    const sinceOf = (window: RoiWindow) => new Date(now.getTime() - WINDOW_DAYS[window]! * 86_400_000);
    // One read for the widest window; the narrower ones are picked from it (same rows as a read each).
    const widest = ROI_WINDOWS.reduce((a, b) => (WINDOW_DAYS[a]! >= WINDOW_DAYS[b]! ? a : b));
    const candidates = await this.repository.exposureCandidates(this.database, sinceOf(widest));
    const costs = await this.interventions.costsSince(this.database, sinceOf(widest));
    const roiOf = (exposures: readonly ExposureRow[], rows: readonly LabelledPredictionRow[]) => {
      const byWindow = {} as Record<RoiWindow, RoiSnapshot>;
      for (const window of ROI_WINDOWS) {
        const since = sinceOf(window);
        byWindow[window] = programmeEconomics(
          window,
          since,
          newestExposures(exposures, since),
          rows,
          costs,
          this.assumptions(),
          this.config.MONITORING_EXPERIMENT_MIN_PER_ARM,
        );
      }
      return byWindow;
    };
    Object.assign(roi, roiOf(candidates, labelled));
    const assigned = await this.versions.assignment(this.database);
    const serving: ModelAssignments = { champion: assigned.champion, shadow: assigned.shadow, rollout: assigned.rollout };
    const rollout = rolloutComparison(serving, candidates, labelled, (rows) => computeModelQuality(rows, cards, now, this.cohorts), roiOf);

    const thresholds: DriftThresholds = {
      psi: this.config.MONITORING_PSI_THRESHOLD,
      ksPValue: this.config.MONITORING_KS_P_VALUE,
      performanceDrop: this.config.MONITORING_PERFORMANCE_DROP,
      minSamples: this.config.MONITORING_DRIFT_MIN_SAMPLES,
    };
    // Drift reads every recent customer's feature vector: on its own, slower cadence, or when asked for.
    const driftDue = withDrift || !this.current || now.getTime() - this.driftComputedAt >= this.config.MONITORING_DRIFT_INTERVAL_MS;
    let drift: readonly ModelDrift[] = this.current?.drift ?? [];
    if (driftDue) {
      const driftSince = new Date(now.getTime() - this.config.MONITORING_DRIFT_WINDOW_DAYS * 86_400_000);
      const computed: ModelDrift[] = [];
      for (const seen of await this.repository.versionsSeen(this.database)) {
        const card = cards.get(seen.model_version);
        if (!card || seen.last_scored_at < driftSince) continue;
        const sample = await this.repository.featureSample(this.database, seen.model_version, seen.role, driftSince);
        const since = models.find((m) => m.model_version === seen.model_version && m.role === seen.role)?.windows.all.overall;
        computed.push(modelDrift(card, seen.role, sample, since?.roc_auc ?? null, since?.count ?? 0, thresholds));
      }
      await this.raiseModelAlerts(computed, thresholds, now);
      drift = computed;
      this.driftComputedAt = now.getTime();
    }

    this.labelled = labelled;
    this.gauges.setQuality(models);
    if (driftDue) this.gauges.setDrift(drift);
    this.gauges.setRoi(Object.values(roi));
    this.lastRefresh.set(now.getTime() / 1000);
    stop();
    return { computed_at: now.toISOString(), label_delay_days: this.config.MONITORING_LABEL_DELAY_DAYS, models, drift, roi, serving, rollout };
  }

  private async raiseModelAlerts(drift: readonly ModelDrift[], t: DriftThresholds, now: Date): Promise<void> {
    const day = now.toISOString().slice(0, 10);
    const candidates: NewModelAlert[] = [];
    const alert = (model: string, kind: NewModelAlert['kind'], subject: string, value: number, threshold: number, message: string) =>
      candidates.push({
        alert_id: createHash('sha256').update(`${model}\u0000${kind}\u0000${subject}\u0000${day}`).digest('hex').slice(0, 32),
        model_version: model,
        kind,
        subject,
        day,
        value,
        threshold,
        message,
      });
    for (const m of drift) {
      for (const f of m.features.filter((x) => x.breached)) {
        const ksBreach = f.ks_p_value !== null && f.ks_p_value < t.ksPValue;
        alert(
          m.model_version,
          'feature_drift',
          f.subject,
          f.psi,
          t.psi,
          `${f.subject} has drifted for ${m.model_version} (${m.role}): PSI ${f.psi.toFixed(3)} (threshold ${t.psi})${ksBreach ? `, KS p-value ${f.ks_p_value!.toExponential(2)} < ${t.ksPValue}` : ''} over ${m.customers} customers`,
        );
      }
      if (m.score?.breached) {
        alert(
          m.model_version,
          'score_drift',
          'churn_probability',
          m.score.psi,
          t.psi,
          `score distribution of ${m.model_version} (${m.role}) has drifted: PSI ${m.score.psi.toFixed(3)} (threshold ${t.psi})`,
        );
      }
      if (m.performance.breached) {
        const p = m.performance;
        alert(
          m.model_version,
          'performance_drift',
          'roc_auc',
          p.live_roc_auc!,
          p.cv_roc_auc! * (1 - t.performanceDrop),
          `ROC-AUC of ${m.model_version} (${m.role}) is ${p.live_roc_auc!.toFixed(4)} on ${p.labelled} outcomes, ${(100 * p.relative_drop!).toFixed(1)} % below its CV ${p.cv_roc_auc!.toFixed(4)} (allowed ${100 * t.performanceDrop} %)`,
        );
      }
    }
    if (candidates.length === 0) return;
    await this.database.transaction(async (tx) => {
      const fresh = await this.modelAlerts.insertNew(tx, candidates);
      if (fresh.length === 0) return;
      // Published before COMMIT: if publishing fails the rows roll back and the next refresh tries again.
      await this.producer.send(
        Topics.modelAlerts,
        fresh.map((a): { key: string; value: ModelAlert } => ({
          key: a.model_version,
          value: {
            alert_id: a.alert_id,
            model_version: a.model_version,
            kind: a.kind,
            subject: a.subject,
            value: a.value,
            threshold: a.threshold,
            message: a.message,
            created_at: new Date(a.created_at).toISOString(),
          },
        })),
      );
      for (const a of fresh) {
        this.alertsPublished.inc({ kind: a.kind });
        this.logger.warn({ model_version: a.model_version, kind: a.kind, subject: a.subject, value: a.value, threshold: a.threshold }, a.message);
      }
    });
  }
}
