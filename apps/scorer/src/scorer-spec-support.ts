import fs from 'node:fs';
import path from 'node:path';
import { featureColumns, featureSpecBlock, parseFeatureSpec, TELCO_SPEC_PATH, type FeatureSpecBlock } from '@churn/feature-spec';

/** Helpers of the scorer integration specs (not part of the service). */

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
  const order = featureColumns(spec.spec).filter((c) => c.modelInput).map((c) => c.name);
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
