import { Injectable } from '@nestjs/common';
import { Database, JobRunRepository } from '@churn/db';
import { ModelAlertRepository, MonitoringRepository } from '@churn/monitoring-data';
import { type DashboardAlertQueue, type DashboardSummary, type ExperimentList, type ModelAlertSummary, riskLevelSchema } from '@churn/contracts';
import { MonitoringSnapshotService } from '../monitoring-snapshot.service';

const DAY_MS = 86_400_000;

/**
 * The figures of the web dashboard, in one answer so that cards, charts and panels agree with each
 * other (aggregates only: open), and its alert queue (customer-level: agents only).
 */
@Injectable()
export class DashboardService {
  private readonly repository = new MonitoringRepository();
  private readonly modelAlertRepository = new ModelAlertRepository();
  private readonly jobRuns = new JobRunRepository();

  constructor(
    private readonly database: Database,
    private readonly snapshots: MonitoringSnapshotService,
  ) {}

  async summary(): Promise<DashboardSummary> {
    const now = Date.now();
    const since30d = new Date(now - 30 * DAY_MS);
    const [snapshot, predictions, daily, pendingAlerts, modelAlerts, seen, jobs] = await Promise.all([
      this.snapshots.snapshot(),
      this.repository.predictionSummary(this.database, since30d),
      this.repository.dailyScores(this.database, since30d),
      this.repository.pendingAlertCount(this.database),
      this.modelAlerts(),
      this.repository.versionsSeen(this.database),
      this.jobRuns.latestPerJob(this.database),
    ]);
    // The champion shown is the registry's; else the served version that scored last (a retired champion keeps its labelled outcomes).
    // During a rollout both versions serve: the rollout's side is in `rollout`, never shown as the champion.
    const champions = snapshot.models.filter((m) => m.role === 'champion' && m.model_version !== snapshot.serving.rollout?.version);
    const newest = seen.find((v) => v.role === 'champion' && champions.some((m) => m.model_version === v.model_version));
    const champion =
      champions.find((m) => m.model_version === snapshot.serving.champion) ?? champions.find((m) => m.model_version === newest?.model_version) ?? champions[0];
    return {
      computed_at: snapshot.computed_at,
      cards: {
        /** Champion predictions scored in the last 30 days (every message). */
        predictions_30d: predictions.predictions,
        /** Customers whose latest prediction in the last 30 days is critical. */
        critical_customers: predictions.critical_customers,
        pending_alerts: pendingAlerts,
        /** Mean risk score over customers' latest predictions in the last 30 days. */
        average_risk_score: predictions.average_risk_score,
        customers_30d: predictions.customers,
      },
      risk_distribution: { low: predictions.low, medium: predictions.medium, high: predictions.high, critical: predictions.critical },
      score_trend: daily,
      roi: snapshot.roi['30d'],
      quality: champion ? { model_version: champion.model_version, label_delay_days: snapshot.label_delay_days, windows: champion.windows } : null,
      shadow_quality: snapshot.models.filter((m) => m.role === 'shadow').map((m) => ({ model_version: m.model_version, all: m.windows.all.overall })),
      // Champion against the version under rollout, each on its own customers: quality since deployment and 30-day ROI.
      rollout: snapshot.rollout && {
        version: snapshot.rollout.version,
        share: snapshot.rollout.share,
        champion: snapshot.rollout.champion,
        arms: snapshot.rollout.arms.map((arm) => ({
          model_version: arm.model_version,
          serving: arm.serving,
          customers: arm.customers,
          all: arm.quality?.windows.all.overall ?? null,
          roi: arm.roi['30d'].overall,
        })),
      },
      drift: snapshot.drift,
      model_alerts: modelAlerts,
      /** Each scheduled job's newest run: status and times (results and errors are in GET /v1/jobs/runs). */
      jobs: jobs.map((r) => ({
        job: r.job,
        status: r.status,
        attempt: r.attempt,
        started_at: r.started_at.toISOString(),
        finished_at: r.finished_at?.toISOString() ?? null,
      })),
    };
  }

  /** The 50 most severe pending alerts, and how many are pending in all. */
  async alertQueue(): Promise<DashboardAlertQueue> {
    const { total, alerts } = await this.repository.pendingAlerts(this.database, 50);
    return {
      computed_at: new Date().toISOString(),
      pending_alerts: total,
      // An alert's level is its prediction's risk level (validated on the topic); parsed so that the answer's type holds.
      alerts: alerts.map((a) => ({ ...a, level: riskLevelSchema.parse(a.level), created_at: a.created_at.toISOString() })),
    };
  }

  async modelAlerts(): Promise<ModelAlertSummary[]> {
    return (await this.modelAlertRepository.recent(this.database, 20)).map((a) => ({ ...a, created_at: a.created_at.toISOString() }));
  }

  async experimentNames(): Promise<ExperimentList['experiments']> {
    return (await this.repository.experimentNames(this.database)).map((e) => ({ name: e.name, last_scored_at: e.last_scored_at.toISOString() }));
  }
}
