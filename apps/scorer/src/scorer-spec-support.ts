import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CustomerFeaturesMessageV1 } from '@churn/contracts';
import { featureColumns, featureSpecBlock, parseFeatureSpec, TELCO_SPEC_PATH, type FeatureSpecBlock } from '@churn/feature-spec';
import { ModelRegistryDir } from '@churn/scoring';
import { startService, type RunningService } from '@churn/service-kit';
import { aFeatureMessageV1, serviceTestEnv, waitUntilHttpReady } from '@churn/testing';
import { scorerConfigSchema } from './config';
import { configureScorerHttp } from './http-setup';
import { ScorerModule } from './scorer.module';

/** Helpers of the scorer integration specs (not part of the service). */

/** A Telco customer's 19 attributes, valid for the trained model. */
export const telcoFeatures = {
  gender: 'Female',
  SeniorCitizen: 0,
  Partner: 'No',
  Dependents: 'No',
  tenure: 2,
  PhoneService: 'Yes',
  MultipleLines: 'No',
  InternetService: 'Fiber optic',
  OnlineSecurity: 'No',
  OnlineBackup: 'No',
  DeviceProtection: 'No',
  TechSupport: 'No',
  StreamingTV: 'Yes',
  StreamingMovies: 'No',
  Contract: 'Month-to-month',
  PaperlessBilling: 'Yes',
  PaymentMethod: 'Electronic check',
  MonthlyCharges: 80.5,
  TotalCharges: 161,
} as const;

/** A version 1 `customer-features` message (the Telco vector) with a fresh source event id. */
export function aFeatureMessage(customerId: string, overrides: Record<string, unknown> = {}): CustomerFeaturesMessageV1 {
  return aFeatureMessageV1(customerId, { ...telcoFeatures, ...overrides } as CustomerFeaturesMessageV1['features']);
}

/**
 * A temporary registry holding the trained model three times: under its own name (active), as a
 * second version of the same spec (`<active>-b`), and under a card of another spec (`<active>-variant`).
 */
export function temporaryRegistry(): { dir: string; active: string; second: string; variant: string } {
  const real = new ModelRegistryDir();
  const active = real.active()!;
  const second = `${active}-b`;
  const variant = `${active}-variant`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-registry-'));
  fs.cpSync(real.dirOf(active), path.join(dir, active), { recursive: true });
  fs.cpSync(real.dirOf(active), path.join(dir, second), { recursive: true });
  const cardFile = path.join(dir, second, 'model-card.json');
  fs.writeFileSync(cardFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(cardFile, 'utf8')), version: second }));
  copyModelWithSpec(real.dirOf(active), dir, variant, telcoVariantSpec());
  fs.writeFileSync(path.join(dir, 'active'), `${active}\n`);
  return { dir, active, second, variant };
}

/**
 * A spec of another hash with the Telco model inputs: renamed, and its first aggregate (carried, not a
 * model input) over 31 days instead of 30 — the values keep their names and mean something else, which
 * is what the spec hash exists to catch.
 */
export function telcoVariantSpec(): FeatureSpecBlock {
  const text = fs
    .readFileSync(TELCO_SPEC_PATH, 'utf8')
    .replace(/^name: telco$/m, 'name: telco-variant')
    .replace(/window_days: 30\b/, 'window_days: 31');
  return featureSpecBlock(parseFeatureSpec(text, 'telco variant'));
}

interface CardParts {
  onnx: { inputs: { name: string }[] };
  features: { name: string }[];
  explanation: { feature_order: string[]; permutations: number[][] };
}

/**
 * Copies a Telco model version under `version`, its card recording `spec` as the spec it was trained on,
 * as the trainer writes it: the card's features, the graph's inputs (fed by name) and the explanation's
 * order are put in the spec's order of model inputs, the permutations renumbered to keep their meaning.
 */
export function copyModelWithSpec(from: string, registryDir: string, version: string, spec: FeatureSpecBlock): string {
  const dir = path.join(registryDir, version);
  fs.cpSync(from, dir, { recursive: true });
  const cardFile = path.join(dir, 'model-card.json');
  const card = JSON.parse(fs.readFileSync(cardFile, 'utf8')) as CardParts & Record<string, unknown>;
  const order = featureColumns(spec.spec)
    .filter((c) => c.modelInput)
    .map((c) => c.name);
  const byOrder = <T extends { name: string }>(items: T[]) => order.map((name) => items.find((item) => item.name === name)!);
  const renumber = card.explanation.feature_order.map((name) => order.indexOf(name));
  const reordered = {
    ...card,
    version,
    feature_spec: spec,
    features: byOrder(card.features),
    onnx: { ...card.onnx, inputs: byOrder(card.onnx.inputs) },
    explanation: { ...card.explanation, feature_order: order, permutations: card.explanation.permutations.map((p) => p.map((i) => renumber[i]!)) },
  };
  fs.writeFileSync(cardFile, JSON.stringify(reordered));
  return dir;
}

/** The scorer in-process on the test stack, with its HTTP API ready; `env` on top of the test environment. */
export async function startScorer(env: Record<string, string>): Promise<RunningService> {
  const sut = await startService({
    name: 'scorer',
    configSchema: scorerConfigSchema,
    module: (c) => ScorerModule.register(c),
    configure: (app) => configureScorerHttp(app),
    env: serviceTestEnv(env),
  });
  await waitUntilHttpReady(sut.url);
  return sut;
}
