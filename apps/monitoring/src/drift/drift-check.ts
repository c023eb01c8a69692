import { histogramOf, ksFromHistograms, psiAgainstReference, type ReferenceHistogram } from '@churn/analytics';
import type { FeatureSampleRow } from '@churn/monitoring-data';
import type { ModelCardFacts } from '../model-cards/model-card';

export interface DriftThresholds {
  readonly psi: number;
  readonly ksPValue: number;
  /** Relative ROC-AUC drop from the card's CV value. */
  readonly performanceDrop: number;
  readonly minSamples: number;
}

export interface FeatureDrift {
  readonly subject: string;
  readonly kind: 'numeric' | 'categorical';
  readonly psi: number;
  readonly ks_statistic: number | null;
  readonly ks_p_value: number | null;
  readonly breached: boolean;
}

export interface PerformanceDrift {
  readonly cv_roc_auc: number | null;
  readonly live_roc_auc: number | null;
  readonly labelled: number;
  /** (CV − live) / CV; positive when the live figure is worse. */
  readonly relative_drop: number | null;
  readonly breached: boolean;
}

export interface ModelDrift {
  readonly model_version: string;
  readonly role: 'champion' | 'shadow';
  readonly customers: number;
  /** False when fewer customers than the minimum were scored: figures shown, no alert raised. */
  readonly enough_data: boolean;
  readonly features: readonly FeatureDrift[];
  readonly score: FeatureDrift | null;
  readonly performance: PerformanceDrift;
}

function driftOf(subject: string, reference: ReferenceHistogram, values: readonly (number | string)[], t: DriftThresholds, enough: boolean): FeatureDrift {
  const psi = psiAgainstReference(reference, values);
  if (reference.kind === 'numeric') {
    const ks = ksFromHistograms(reference.counts, histogramOf(reference, values));
    return { subject, kind: 'numeric', psi, ks_statistic: ks.statistic, ks_p_value: ks.pValue, breached: enough && (psi > t.psi || ks.pValue < t.ksPValue) };
  }
  return { subject, kind: 'categorical', psi, ks_statistic: null, ks_p_value: null, breached: enough && psi > t.psi };
}

/**
 * Drift of one model version's recent inputs and scores against its card's reference histograms
 * (PSI for every feature and the score, KS for numerics), and of its live ROC-AUC against its CV
 * ROC-AUC. Pure; `liveRocAuc`/`labelled` come from the quality figures since deployment.
 */
export function modelDrift(
  card: ModelCardFacts,
  role: 'champion' | 'shadow',
  sample: readonly FeatureSampleRow[],
  liveRocAuc: number | null,
  labelled: number,
  t: DriftThresholds,
): ModelDrift {
  const enough = sample.length >= t.minSamples;
  const features = Object.entries(card.featureHistograms)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, reference]) => {
      const values = sample.map((s) => s.features[name]).filter((v): v is number | string => typeof v === 'number' || typeof v === 'string');
      // Judged on the customers that carry the feature: an optional attribute may be missing from most
      // vectors, and a handful of values must not raise an alert the minimum sample exists to prevent.
      return driftOf(name, reference, values, t, enough && values.length >= t.minSamples);
    });
  const score = card.scoreHistogram
    ? driftOf(
        'churn_probability',
        card.scoreHistogram,
        sample.map((s) => s.churn_probability),
        t,
        enough,
      )
    : null;
  const cv = card.cvRocAuc ?? null;
  const relativeDrop = cv !== null && liveRocAuc !== null ? (cv - liveRocAuc) / cv : null;
  return {
    model_version: card.version,
    role,
    customers: sample.length,
    enough_data: enough,
    features,
    score,
    performance: {
      cv_roc_auc: cv,
      live_roc_auc: liveRocAuc,
      labelled,
      relative_drop: relativeDrop,
      breached: relativeDrop !== null && labelled >= t.minSamples && relativeDrop > t.performanceDrop,
    },
  };
}
