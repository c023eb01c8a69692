import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LabelledPredictionRow } from '@churn/monitoring-data';
import { loadFeatureSpec, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { bandOf, cohortDimensions, cohortFeatures, defaultBandLabels, UNKNOWN_COHORT } from './cohorts';

const row = (cohortFeatures: Record<string, unknown> | null, riskLevel = 'high') =>
  ({ risk_level: riskLevel, cohort_features: cohortFeatures }) as LabelledPredictionRow;

describe('cohort dimensions from the spec', () => {
  it('bands numbers by inclusive upper bounds', () => {
    const labels = ['0-12', '13-24', '25-48', '49+'];
    assert.deepEqual(
      [0, 12, 13, 24, 48, 49, 72].map((v) => bandOf(v, [12, 24, 48], labels)),
      ['0-12', '0-12', '13-24', '13-24', '25-48', '49+', '49+'],
    );
    assert.deepEqual(defaultBandLabels([50, 200]), ['≤ 50', '50–200', '> 200']);
  });

  it('gives the Telco spec the risk level, contract and tenure band, and reads only their features', () => {
    const dimensions = cohortDimensions(loadFeatureSpec(TELCO_SPEC_PATH).business);
    assert.deepEqual(
      dimensions.map((d) => d.name),
      ['risk_level', 'contract', 'tenure_band'],
    );
    assert.deepEqual(cohortFeatures(dimensions), ['Contract', 'tenure']);
    const customer = row({ Contract: 'One year', tenure: 30 });
    assert.deepEqual(
      dimensions.map((d) => d.cohortOf(customer)),
      ['high', 'One year', '25-48'],
    );
  });

  it('counts a vector without the feature as unknown', () => {
    const dimensions = cohortDimensions(loadFeatureSpec(TELCO_SPEC_PATH).business);
    assert.deepEqual(
      dimensions.map((d) => d.cohortOf(row(null, 'low'))),
      ['low', UNKNOWN_COHORT, UNKNOWN_COHORT],
    );
    assert.deepEqual(
      dimensions.map((d) => d.cohortOf(row({ Contract: '', tenure: 'x' }, 'low'))),
      ['low', UNKNOWN_COHORT, UNKNOWN_COHORT],
    );
  });

  it('has only the risk level without a business section', () => {
    assert.deepEqual(
      cohortDimensions(undefined).map((d) => d.name),
      ['risk_level'],
    );
  });
});
