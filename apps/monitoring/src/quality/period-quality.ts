import { classificationReport } from '@churn/analytics';
import type { LabelledPredictionRow } from '@churn/monitoring-data';
import { DEFAULT_DECISION_THRESHOLD, type ModelCardFacts } from '../model-cards/model-card';
import { figuresOf, type QualityFigures } from './model-quality';

export interface ModelPeriodFigures {
  readonly model_version: string;
  readonly role: 'champion' | 'shadow';
  readonly cv_roc_auc: number | null;
  readonly figures: QualityFigures;
}

/**
 * Quality of each model version and role over the outcomes observed in [from, to), each outcome
 * judged by the prediction `labelledPredictions` joined it to: the rolling windows' figures, for any
 * period. Champions first, then by version.
 */
export function periodQuality(rows: readonly LabelledPredictionRow[], cards: ReadonlyMap<string, ModelCardFacts>, from: Date, to: Date): ModelPeriodFigures[] {
  const groups = new Map<string, LabelledPredictionRow[]>();
  for (const row of rows) {
    const at = row.observed_at.getTime();
    if (at < from.getTime() || at >= to.getTime()) continue;
    const key = `${row.role}\u0000${row.model_version}`;
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, list]) => {
      const [role, modelVersion] = key.split('\u0000') as ['champion' | 'shadow', string];
      const card = cards.get(modelVersion);
      const report = classificationReport(
        list.map((r) => ({ score: r.churn_probability, label: r.churned })),
        card?.decisionThreshold ?? DEFAULT_DECISION_THRESHOLD,
      );
      return { model_version: modelVersion, role, cv_roc_auc: card?.cvRocAuc ?? null, figures: figuresOf(report) };
    });
}
