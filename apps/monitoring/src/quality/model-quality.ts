import { classificationReport, type ClassificationReport, type LabelledScore } from '@churn/analytics';
import type { LabelledPredictionRow } from '@churn/monitoring-data';
import type { ModelCardFacts } from '../model-cards/model-card';
import { DEFAULT_DECISION_THRESHOLD } from '../model-cards/model-card';
import type { CohortDimension } from './cohorts';

/** Reporting windows: outcomes observed in the last 24 h / 7 d / 30 d, and every outcome since the version was deployed. */
export const WINDOWS = ['24h', '7d', '30d', 'all'] as const;
export type WindowName = (typeof WINDOWS)[number];
export const WINDOW_DAYS: Readonly<Record<WindowName, number | null>> = { '24h': 1, '7d': 7, '30d': 30, all: null };

/** A classification report as JSON: every figure present, null where it does not exist (one class only, no data). */
export interface QualityFigures {
  readonly count: number;
  readonly positives: number;
  readonly roc_auc: number | null;
  readonly pr_auc: number | null;
  readonly brier: number | null;
  readonly log_loss: number | null;
  readonly ece: number | null;
  readonly lift_top_decile: number | null;
  readonly threshold: number;
  readonly accuracy: number | null;
  readonly precision: number | null;
  readonly recall: number | null;
  readonly f1: number | null;
}

export interface WindowQuality {
  readonly overall: QualityFigures;
  /** Per cohort dimension (the risk level, then the spec's cohorts), per cohort. */
  readonly cohorts: Readonly<Record<string, Readonly<Record<string, QualityFigures>>>>;
}

export interface ModelQuality {
  readonly model_version: string;
  readonly role: 'champion' | 'shadow';
  readonly decision_threshold: number;
  /** The model card's mean CV ROC-AUC, the baseline of the performance-drift check. */
  readonly cv_roc_auc: number | null;
  readonly windows: Readonly<Record<WindowName, WindowQuality>>;
}

export function figuresOf(report: ClassificationReport): QualityFigures {
  const n = (v: number | undefined) => (v === undefined ? null : v);
  return {
    count: report.count,
    positives: report.positives,
    roc_auc: n(report.rocAuc),
    pr_auc: n(report.prAuc),
    brier: n(report.brier),
    log_loss: n(report.logLoss),
    ece: n(report.ece),
    lift_top_decile: n(report.liftTopDecile),
    threshold: report.atThreshold.threshold,
    accuracy: n(report.atThreshold.accuracy),
    precision: n(report.atThreshold.precision),
    recall: n(report.atThreshold.recall),
    f1: n(report.atThreshold.f1),
  };
}

const scored = (rows: readonly LabelledPredictionRow[]): LabelledScore[] => rows.map((r) => ({ score: r.churn_probability, label: r.churned }));

/**
 * Quality per model version and role, per window and cohort, from outcomes already joined to the
 * prediction each is judged by. Pure: the same rows give the same figures as `libs/analytics` on them.
 */
export function computeModelQuality(
  rows: readonly LabelledPredictionRow[],
  cards: ReadonlyMap<string, ModelCardFacts>,
  now: Date,
  dimensions: readonly CohortDimension[],
): ModelQuality[] {
  const groups = new Map<string, LabelledPredictionRow[]>();
  for (const row of rows) {
    const key = `${row.model_version}\u0000${row.role}`;
    const list = groups.get(key) ?? [];
    list.push(row);
    groups.set(key, list);
  }
  const result: ModelQuality[] = [];
  for (const [key, list] of groups) {
    const [modelVersion, role] = key.split('\u0000') as [string, 'champion' | 'shadow'];
    const card = cards.get(modelVersion);
    const threshold = card?.decisionThreshold ?? DEFAULT_DECISION_THRESHOLD;
    const windows = {} as Record<WindowName, WindowQuality>;
    for (const window of WINDOWS) {
      const days = WINDOW_DAYS[window];
      const since = days === null ? -Infinity : now.getTime() - days * 86_400_000;
      const inWindow = list.filter((r) => r.observed_at.getTime() >= since);
      const cohorts: Record<string, Record<string, QualityFigures>> = {};
      for (const dimension of dimensions) {
        const byCohort = new Map<string, LabelledPredictionRow[]>();
        for (const r of inWindow) {
          const cohort = dimension.cohortOf(r);
          const members = byCohort.get(cohort);
          if (members) members.push(r);
          else byCohort.set(cohort, [r]);
        }
        cohorts[dimension.name] = Object.fromEntries(
          [...byCohort].sort(([a], [b]) => a.localeCompare(b)).map(([c, rs]) => [c, figuresOf(classificationReport(scored(rs), threshold))]),
        );
      }
      windows[window] = { overall: figuresOf(classificationReport(scored(inWindow), threshold)), cohorts };
    }
    result.push({ model_version: modelVersion, role, decision_threshold: threshold, cv_roc_auc: card?.cvRocAuc ?? null, windows });
  }
  return result.sort((a, b) => (a.role === b.role ? a.model_version.localeCompare(b.model_version) : a.role === 'champion' ? -1 : 1));
}
