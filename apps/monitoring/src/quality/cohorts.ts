import type { Business, Cohort } from '@churn/feature-spec';
import type { LabelledPredictionRow } from '@churn/monitoring-data';

/** One cohort dimension of the model-quality figures: its name and how a labelled prediction is placed in it. */
export interface CohortDimension {
  readonly name: string;
  /** The feature it reads from the stored vector (none for the risk level). */
  readonly feature?: string;
  cohortOf(row: LabelledPredictionRow): string;
}

/** Where a vector without the feature (a prediction message without one, or an older spec) is counted. */
export const UNKNOWN_COHORT = 'unknown';

const RISK_LEVEL: CohortDimension = { name: 'risk_level', cohortOf: (row) => row.risk_level };

/** "≤ 12", "12–24", "> 48": the default labels of bands with inclusive upper bounds. */
export function defaultBandLabels(bands: readonly number[]): string[] {
  return [`≤ ${bands[0]}`, ...bands.slice(1).map((bound, i) => `${bands[i]}–${bound}`), `> ${bands[bands.length - 1]}`];
}

/** The band of a number: the first whose inclusive upper bound it does not exceed, else the last. */
export function bandOf(value: number, bands: readonly number[], labels: readonly string[]): string {
  const index = bands.findIndex((bound) => value <= bound);
  return labels[index === -1 ? bands.length : index]!;
}

function dimensionOf(cohort: Cohort): CohortDimension {
  const { feature, bands } = cohort;
  const name = cohort.name ?? feature.toLowerCase();
  if (!bands) {
    return {
      name,
      feature,
      cohortOf: (row) => {
        const value = row.cohort_features?.[feature];
        return value === undefined || value === null || value === '' ? UNKNOWN_COHORT : String(value);
      },
    };
  }
  const labels = cohort.labels ?? defaultBandLabels(bands);
  return {
    name,
    feature,
    cohortOf: (row) => {
      const value = row.cohort_features?.[feature];
      return typeof value === 'number' && Number.isFinite(value) ? bandOf(value, bands, labels) : UNKNOWN_COHORT;
    },
  };
}

/** The risk level, then the cohorts the spec's business section declares. */
export function cohortDimensions(business: Business | undefined): CohortDimension[] {
  return [RISK_LEVEL, ...(business?.cohorts ?? []).map(dimensionOf)];
}

/** The features the dimensions read, to fetch them with the labelled predictions. */
export function cohortFeatures(dimensions: readonly CohortDimension[]): string[] {
  return [...new Set(dimensions.flatMap((d) => (d.feature ? [d.feature] : [])))];
}
