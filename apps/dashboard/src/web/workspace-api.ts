/** The monitoring API the experiments, ROI and models pages read and call; the answers' shapes are @churn/contracts'. */
import type { ExperimentList, ExperimentReport, ModelMetricsAnswer, ModelRegistry, RoiSeries, RolloutMetricsAnswer } from '@churn/contracts';
import { apiErrorOf, postWithToken as postJson } from './api';

export type { ExperimentReport, ModelRegistry, RoiSeries } from '@churn/contracts';
export type ExperimentArm = ExperimentReport['arms'][number];
export type RoiBucket = RoiSeries['bucket'];
export type ModelRole = ModelRegistry['models'][number]['role'];
export type LiveQuality = ModelMetricsAnswer['models'][number];
export type RolloutArm = NonNullable<RolloutMetricsAnswer['rollout']>['arms'][number];

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) throw await apiErrorOf(response);
  return (await response.json()) as T;
}

export async function fetchExperimentNames(): Promise<string[]> {
  const body = await getJson<ExperimentList>('v1/experiments');
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
  return (await getJson<ModelMetricsAnswer>('v1/metrics/model')).models;
}

export async function fetchRolloutArms(): Promise<RolloutArm[]> {
  return [...((await getJson<RolloutMetricsAnswer>('v1/metrics/rollout')).rollout?.arms ?? [])];
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
