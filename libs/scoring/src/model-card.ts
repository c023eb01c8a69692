import { z } from 'zod';
import {
  featureColumns,
  featureSpecBlock,
  featureSpecSchema as specSchema,
  loadFeatureSpec,
  specHash,
  TELCO_SPEC_PATH,
  type FeatureSpecBlock,
} from '@churn/feature-spec';

/** Fields every feature of a card may have (cards written before feature specs have none of them). */
const featureBase = {
  name: z.string().min(1),
  /** The table column holding the feature, when it is not spelled as the name. */
  column: z.string().min(1).optional(),
  /** A customer may lack the value: a blank is fed as "" (string) or NaN (number), which the graph handles. */
  optional: z.boolean().optional(),
  /** A boolean: how the model spells true and false (a table may spell them yes/no, true/false, 1/0, y/n). */
  boolean: z.object({ true: z.union([z.string(), z.number()]), false: z.union([z.string(), z.number()]) }).optional(),
  description: z.string().optional(),
};

const categoricalFeature = z.object({
  ...featureBase,
  kind: z.literal('categorical'),
  categories: z.array(z.string()).min(1),
  /** Open-ended: `categories` are the values the model kept; any other non-blank value is its `other` bucket. */
  open_ended: z.boolean().optional(),
  other: z.string().optional(),
});

const numericFeature = z.object({
  ...featureBase,
  kind: z.literal('numeric'),
  min: z.number(),
  max: z.number(),
  allowed_values: z.array(z.number()).optional(),
  /** The value a blank or null input stands for (TotalCharges: no invoice yet → 0). */
  missing_means: z.number().optional(),
});

export const featureSpecSchema = z.discriminatedUnion('kind', [categoricalFeature, numericFeature]);
export type FeatureSpec = z.infer<typeof featureSpecSchema>;

/** The spec the model was trained on, as the trainer records it: name, hash and the normalized spec. */
const cardFeatureSpecSchema = z.looseObject({ name: z.string().min(1), hash: z.string().regex(/^[0-9a-f]{64}$/), spec: z.unknown() });

/**
 * The part of the trainer's `model-card.json` the scorer relies on (apps/trainer/README.md). Other
 * fields are kept as they are and shown by `GET /v1/models`.
 */
export const modelCardSchema = z.looseObject({
  version: z.string().min(1),
  created_at: z.string().optional(),
  model_type: z.string().optional(),
  onnx: z.looseObject({
    file: z.string().min(1),
    inputs: z.array(z.object({ name: z.string().min(1), dtype: z.enum(['string', 'float32']) })).min(1),
    output: z.looseObject({ name: z.string().min(1) }),
  }),
  features: z.array(featureSpecSchema).min(1),
  feature_spec: cardFeatureSpecSchema.optional(),
  thresholds: z.looseObject({ risk_levels: z.looseObject({ critical: z.number(), high: z.number(), medium: z.number() }).optional() }).optional(),
  explanation: z.looseObject({
    background: z.array(z.record(z.string(), z.union([z.string(), z.number()]))).min(1),
    background_predictions: z.array(z.number()).optional(),
    baseline: z.number(),
    permutations: z.array(z.array(z.number().int().nonnegative())).min(1),
    permutations_per_background: z.number().int().positive(),
    feature_order: z.array(z.string().min(1)).min(1),
  }),
});

export type ModelCard = z.infer<typeof modelCardSchema>;

/** The card does not describe a model the scorer can serve. */
export class ModelCardError extends Error {
  readonly code = 'MODEL_CARD_INVALID';
  constructor(
    readonly where: string,
    reason: string,
  ) {
    super(`${where}: ${reason}`);
    this.name = 'ModelCardError';
  }
}

export function parseModelCard(json: unknown, where: string): ModelCard {
  const result = modelCardSchema.safeParse(json);
  if (!result.success) {
    throw new ModelCardError(where, result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const card = result.data;
  const inputs = card.onnx.inputs.map((i) => i.name);
  const specs = card.features.map((f) => f.name);
  if (inputs.join('\u0000') !== specs.join('\u0000') || card.explanation.feature_order.join('\u0000') !== specs.join('\u0000')) {
    throw new ModelCardError(where, 'onnx.inputs, features and explanation.feature_order must name the same features in the same order');
  }
  for (const input of card.onnx.inputs) {
    const spec = card.features.find((f) => f.name === input.name)!;
    if ((spec.kind === 'categorical') !== (input.dtype === 'string')) {
      throw new ModelCardError(where, `feature ${input.name}: kind ${spec.kind} does not match ONNX dtype ${input.dtype}`);
    }
  }
  if (card.feature_spec) checkFeatureSpec(card, where);
  const expected = card.explanation.background.length * card.explanation.permutations_per_background;
  if (card.explanation.permutations.length !== expected) {
    throw new ModelCardError(where, `explanation.permutations has ${card.explanation.permutations.length} entries, expected ${expected}`);
  }
  return card;
}

/** The card's spec must validate, hash to its recorded hash and have the card's features as its model inputs. */
function checkFeatureSpec(card: ModelCard, where: string): void {
  const block = card.feature_spec!;
  const parsed = specSchema.safeParse(block.spec);
  if (!parsed.success) {
    throw new ModelCardError(
      where,
      `feature_spec.spec is not a valid feature spec: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  if (specHash(parsed.data) !== block.hash) throw new ModelCardError(where, 'feature_spec.hash is not the hash of feature_spec.spec');
  const inputs = featureColumns(parsed.data)
    .filter((c) => c.modelInput)
    .map((c) => c.name);
  const features = card.features.map((f) => f.name);
  if (inputs.join('\u0000') !== features.join('\u0000')) {
    throw new ModelCardError(where, `features (${features.join(', ')}) are not the model inputs of feature_spec (${inputs.join(', ')})`);
  }
}

let telcoBlock: FeatureSpecBlock | undefined;

/** The shipped Telco spec, read once: what a card without `feature_spec` and a version 1 features message stand for. */
export function telcoFeatureSpecBlock(): FeatureSpecBlock {
  telcoBlock ??= featureSpecBlock(loadFeatureSpec(TELCO_SPEC_PATH));
  return telcoBlock;
}

/**
 * The spec a card's model was trained on. A card without `feature_spec` comes from the trainer before
 * specs existed, which only knew the Telco columns: it is read as the shipped Telco spec.
 */
export function cardFeatureSpec(card: ModelCard): FeatureSpecBlock {
  if (card.feature_spec) {
    const spec = specSchema.parse(card.feature_spec.spec);
    return { name: card.feature_spec.name, hash: card.feature_spec.hash, spec };
  }
  return telcoFeatureSpecBlock();
}
