import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import type { ModelAssignments } from '@churn/contracts';
import { ApiAnswer, JwtAuthGuard, RequireRoleOrHigher, ZodValidationPipe } from '@churn/service-kit';
import { MonitoringSnapshotService, ROI_WINDOWS } from '../monitoring-snapshot.service';
import { WINDOWS } from '../quality/model-quality';
import { DashboardService } from '../dashboard/dashboard.service';
import { ExperimentError } from '../experiments/experiment-error';
import {
  type DashboardAlertQueue,
  dashboardAlertQueueSchema,
  type DashboardSummary,
  dashboardSummarySchema,
  type DriftAnswer,
  driftAnswerSchema,
  type ExperimentList,
  experimentListSchema,
  type ExperimentReport,
  experimentReportSchema,
  type ModelMetricsAnswer,
  modelMetricsAnswerSchema,
  type RoiAnswer,
  roiAnswerSchema,
  type RolloutMetricsAnswer,
  rolloutMetricsAnswerSchema,
} from '@churn/contracts';

const refreshFlag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');

const modelQuery = z
  .object({
    window: z.enum(WINDOWS).optional(),
    model_version: z.string().min(1).max(200).optional(),
    role: z.enum(['champion', 'shadow']).optional(),
    refresh: refreshFlag,
  })
  .strict();

const roiQuery = z.object({ window: z.enum(ROI_WINDOWS).default('30d'), model_version: z.string().min(1).max(200).optional(), refresh: refreshFlag }).strict();
const refreshOnly = z.object({ refresh: refreshFlag }).strict();
const experimentName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\w.:-]+$/, 'letters, digits, _ . : - only');

/**
 * The monitoring API: figures are the latest refresh's (every MONITORING_REFRESH_INTERVAL_MS), or
 * fresh with `refresh=true`. Aggregates are open; what names customers needs an agent's token.
 */
@Controller('v1')
export class MonitoringController {
  constructor(
    private readonly snapshots: MonitoringSnapshotService,
    private readonly dashboard: DashboardService,
  ) {}

  /** Model quality per model version and role, window (24h, 7d, 30d, all = since deployment) and cohort. */
  @Get('metrics/model')
  @ApiAnswer('ModelMetricsAnswer', modelMetricsAnswerSchema)
  async modelMetrics(@Query(new ZodValidationPipe(modelQuery)) query: z.output<typeof modelQuery>): Promise<ModelMetricsAnswer> {
    const s = query.refresh ? await this.snapshots.refresh({ full: true }) : await this.snapshots.snapshot();
    const models = s.models
      .filter((m) => (query.model_version === undefined || m.model_version === query.model_version) && (query.role === undefined || m.role === query.role))
      .map((m) => ({ ...(query.window === undefined ? m : { ...m, windows: { [query.window]: m.windows[query.window] } }), serving: servingAs(s.serving, m) }));
    return { computed_at: s.computed_at, label_delay_days: s.label_delay_days, models };
  }

  /**
   * During a gradual rollout: the champion and the version under rollout side by side, each judged on
   * the customers it serves (quality per window and cohort, ROI per window); `rollout: null` without one.
   */
  @Get('metrics/rollout')
  @ApiAnswer('RolloutMetricsAnswer', rolloutMetricsAnswerSchema)
  async rollout(@Query(new ZodValidationPipe(refreshOnly)) query: z.output<typeof refreshOnly>): Promise<RolloutMetricsAnswer> {
    const s = query.refresh ? await this.snapshots.refresh({ full: true }) : await this.snapshots.snapshot();
    return { computed_at: s.computed_at, label_delay_days: s.label_delay_days, rollout: s.rollout };
  }

  /** Revenue at risk, programme cost, revenue saved, net benefit and ROI multiple, overall and per risk level. */
  @Get('roi')
  @ApiAnswer('RoiAnswer', roiAnswerSchema)
  async roi(@Query(new ZodValidationPipe(roiQuery)) query: z.output<typeof roiQuery>): Promise<RoiAnswer> {
    const s = query.refresh ? await this.snapshots.refresh({ full: true }) : await this.snapshots.snapshot();
    if (query.model_version !== undefined)
      return { computed_at: new Date().toISOString(), model_version: query.model_version, ...(await this.snapshots.roiFor(query.window, query.model_version)) };
    return { computed_at: s.computed_at, ...s.roi[query.window] };
  }

  /** PSI/KS per feature and score, and the performance check, per model version scored recently. */
  @Get('drift')
  @ApiAnswer('DriftAnswer', driftAnswerSchema)
  async drift(@Query(new ZodValidationPipe(refreshOnly)) query: z.output<typeof refreshOnly>): Promise<DriftAnswer> {
    const s = query.refresh ? await this.snapshots.refresh({ full: true }) : await this.snapshots.snapshot();
    return { computed_at: s.computed_at, models: s.drift, model_alerts: await this.dashboard.modelAlerts() };
  }

  @Get('experiments')
  @ApiAnswer('ExperimentList', experimentListSchema)
  async experiments(): Promise<ExperimentList> {
    return { experiments: await this.dashboard.experimentNames() };
  }

  /** Per arm: customers, churn rate, revenue retained, cost; each arm against control with 95 % CI and p-value. */
  @Get('experiments/:name')
  @ApiAnswer('ExperimentReport', experimentReportSchema)
  async experiment(@Param('name', new ZodValidationPipe(experimentName)) name: string): Promise<ExperimentReport> {
    const report = await this.snapshots.experiment(name);
    if (!report) throw new ExperimentError('EXPERIMENT_NOT_FOUND', `no prediction carries experiment "${name}"`);
    return report;
  }

  /** What the dashboard's cards and charts show: aggregates and model-level alerts only. */
  @Get('dashboard')
  @ApiAnswer('DashboardSummary', dashboardSummarySchema)
  async summary(): Promise<DashboardSummary> {
    return this.dashboard.summary();
  }

  /** The dashboard's alert queue: customer ids and messages, so for agents (and admins) only. */
  @Get('dashboard/alerts')
  @ApiAnswer('DashboardAlertQueue', dashboardAlertQueueSchema)
  @UseGuards(JwtAuthGuard)
  @RequireRoleOrHigher('agent')
  async alertQueue(): Promise<DashboardAlertQueue> {
    return this.dashboard.alertQueue();
  }
}

/**
 * What a version's figures are of: the champion's or the rollout's served predictions, or the shadow's;
 * null for a version that no longer serves (its figures stay, from the outcomes it was judged on).
 */
function servingAs(serving: ModelAssignments, m: { model_version: string; role: 'champion' | 'shadow' }): 'champion' | 'rollout' | 'shadow' | null {
  if (m.role === 'shadow') return serving.shadow === m.model_version ? 'shadow' : null;
  if (serving.rollout?.version === m.model_version) return 'rollout';
  return serving.champion === m.model_version ? 'champion' : null;
}
