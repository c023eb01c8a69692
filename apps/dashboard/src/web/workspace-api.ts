/** The monitoring API the experiments, ROI and models pages read and call (shapes of apps/monitoring's answers). */
import { apiErrorOf, postWithToken as postJson, type QualityFigures, type RoiFigures } from './api';

export interface ExperimentArm {
  arm: string;
  customers: number;
  with_outcome: number;
  targeted: number;
  churned: number;
  churn_rate: number | null;
  churn_rate_ci95: [number, number] | null;
  revenue_retained: number;
  cost: number;
}

export interface ExperimentComparison {
  arm: string;
  against: string;
  difference: number | null;
  ci95: [number, number] | null;
  z_score: number | null;
  p_value: number | null;
  significant: boolean;
  underpowered: boolean;
}

export interface ExperimentReport {
  name: string;
  minimum_per_arm: number;
  arms: ExperimentArm[];
  comparisons: ExperimentComparison[];
  warnings: string[];
}

export type RoiBucket = 'day' | 'week';

export interface RoiSeries {
  from: string;
  to: string;
  bucket: RoiBucket;
  assumptions: { retention_success_rate: number; clv_months: number };
  total: RoiFigures;
  points: (RoiFigures & { from: string; to: string })[];
}

export type ModelRole = 'champion' | 'shadow' | 'rollout' | 'registered';

/** The scorer's registry (`GET /v1/models`, forwarded by monitoring). */
export interface ModelRegistry {
  rollout: { version: string; share: number; champion: string | null; since: string | null; by: string | null } | null;
  models: {
    version: string;
    role: ModelRole;
    rollout_share: number | null;
    files_present: boolean;
    registered_at: string;
    activated_at: string | null;
    activated_by: string | null;
    model_type: string | null;
    created_at: string | null;
    holdout_metrics: Partial<Record<'roc_auc' | 'pr_auc' | 'brier' | 'lift_top_decile' | 'ece', number>> | null;
  }[];
}

export interface LiveQuality {
  model_version: string;
  role: 'champion' | 'shadow';
  serving: 'champion' | 'rollout' | 'shadow' | null;
  windows: Partial<Record<'24h' | '7d' | '30d' | 'all', { overall: QualityFigures }>>;
}

export interface RolloutArm {
  model_version: string;
  serving: 'champion' | 'rollout';
  customers: number;
  quality: { windows: Partial<Record<'all', { overall: QualityFigures }>> } | null;
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) throw await apiErrorOf(response);
  return (await response.json()) as T;
}

export async function fetchExperimentNames(): Promise<string[]> {
  const body = await getJson<{ experiments: { name: string }[] }>('v1/experiments');
  return body.experiments.map((e) => e.name);
}

export function fetchExperiment(name: string): Promise<ExperimentReport> {
  return getJson<ExperimentReport>(`v1/experiments/${encodeURIComponent(name)}`);
}

export function fetchRoiSeries(from: Date, to: Date, bucket: RoiBucket): Promise<RoiSeries> {
  const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), bucket });
  return getJson<RoiSeries>(`v1/metrics/roi/series?${query.toString()}`);
}

export function fetchModelRegistry(): Promise<ModelRegistry> {
  return getJson<ModelRegistry>('v1/models');
}

export async function fetchLiveQuality(): Promise<LiveQuality[]> {
  return (await getJson<{ models: LiveQuality[] }>('v1/metrics/model')).models;
}

export async function fetchRolloutArms(): Promise<RolloutArm[]> {
  return (await getJson<{ rollout: { arms: RolloutArm[] } | null }>('v1/metrics/rollout')).rollout?.arms ?? [];
}

export function activateModel(version: string, token: string): Promise<unknown> {
  return postJson(`v1/models/${encodeURIComponent(version)}/activate`, {}, token);
}

export function rollOutModel(version: string, share: number, reason: string, token: string): Promise<unknown> {
  return postJson(`v1/models/${encodeURIComponent(version)}/rollout`, { share, reason }, token);
}

export function rollBack(reason: string, token: string): Promise<unknown> {
  return postJson('v1/models/rollout/rollback', { reason }, token);
}
