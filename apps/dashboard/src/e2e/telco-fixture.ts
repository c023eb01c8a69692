import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { rocAuc } from '@churn/analytics';
import { riskLevelOf, riskScoreOf, type Outcome, type Prediction } from '@churn/contracts';
import { parseTelcoCsv, rowFeatures } from '@churn/telco-replay';
import { uniqueId } from '@churn/testing';

export const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const DAY = 86_400_000;
type TelcoFeatures = ReturnType<typeof rowFeatures>;
const ACTIONS: Readonly<Record<string, [string, number]>> = { critical: ['retention_call_with_offer', 150], high: ['discount_offer', 75] };

export interface TelcoFixture {
  readonly modelVersion: string;
  readonly card: Record<string, unknown>;
  readonly predictions: readonly { prediction: Prediction; features: TelcoFeatures }[];
  readonly outcomes: readonly Outcome[];
  /** ROC-AUC of the trainer's train-predictions.csv against the Telco labels: the offline figure. */
  readonly offlineRocAuc: number;
}

/**
 * The active model's own probabilities (models/<active>/train-predictions.csv) for every Telco
 * customer as champion predictions on the information of 15 days ago, scored over the last two weeks
 * (so the score trend has days), with each customer's label observed 2 days ago (inside the 7- and
 * 30-day quality windows). What the scorer would publish for a replay, without
 * running the scorer: that the scorer reproduces the trainer's probabilities is its own test.
 */
export function telcoFixture(now = Date.now()): TelcoFixture {
  const active = fs.readFileSync(path.join(REPO, 'models', 'active'), 'utf8').trim();
  const card = JSON.parse(fs.readFileSync(path.join(REPO, 'models', active, 'model-card.json'), 'utf8')) as Record<string, unknown>;
  const rows = parseTelcoCsv(fs.readFileSync(path.join(REPO, 'data', 'telco', 'train.csv')));
  const probabilities = new Map(
    (
      parse(fs.readFileSync(path.join(REPO, 'models', active, 'train-predictions.csv')), { columns: true }) as {
        customerID: string;
        churn_probability: string;
      }[]
    ).map((r) => [r.customerID, Number(r.churn_probability)]),
  );
  const modelVersion = uniqueId('dashboard-model');
  const prefix = uniqueId('W');
  const predictions = rows.map((row, i) => {
    const probability = probabilities.get(row.customerID);
    if (probability === undefined) throw new Error(`no trainer probability for ${row.customerID}`);
    const features = rowFeatures(row);
    const riskScore = riskScoreOf(probability);
    const riskLevel = riskLevelOf(riskScore);
    const [action, cost] = ACTIONS[riskLevel] ?? ['none', 0];
    const prediction: Prediction = {
      prediction_id: uniqueId('p'),
      customer_id: `${prefix}-${row.customerID}`,
      model_version: modelVersion,
      churn_probability: probability,
      risk_score: riskScore,
      risk_level: riskLevel,
      recommended_action: action,
      intervention_cost: cost,
      revenue_at_risk: Math.round(features.MonthlyCharges * 12 * 100) / 100,
      top_factors: [],
      experiment: null,
      source_event_id: uniqueId('e'),
      as_of: new Date(now - 15 * DAY).toISOString(),
      scored_at: new Date(now - (i % 14) * DAY - (i % 7) * 3_600_000 - 60_000).toISOString(),
    };
    return { prediction, features };
  });
  const outcomes = rows.map((row) => ({
    customer_id: `${prefix}-${row.customerID}`,
    churned: row.Churn === 'Yes',
    observed_at: new Date(now - 2 * DAY).toISOString(),
  }));
  const offlineRocAuc = rocAuc(rows.map((row) => ({ score: probabilities.get(row.customerID)!, label: row.Churn === 'Yes' })));
  if (offlineRocAuc === undefined) throw new Error('offline ROC-AUC undefined');
  return { modelVersion, card: { ...card, version: modelVersion }, predictions, outcomes, offlineRocAuc };
}
