import { z } from 'zod';

const categoricalFeature = z.object({
  name: z.string().min(1),
  kind: z.literal('categorical'),
  categories: z.array(z.string()).min(1),
  description: z.string().optional(),
});

const numericFeature = z.object({
  name: z.string().min(1),
  kind: z.literal('numeric'),
  min: z.number(),
  max: z.number(),
  allowed_values: z.array(z.number()).optional(),
  /** The value a blank or null input stands for (TotalCharges: no invoice yet → 0). */
  missing_means: z.number().optional(),
  description: z.string().optional(),
});

export const featureSpecSchema = z.discriminatedUnion('kind', [categoricalFeature, numericFeature]);
export type FeatureSpec = z.infer<typeof featureSpecSchema>;

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
  thresholds: z
    .looseObject({ risk_levels: z.looseObject({ critical: z.number(), high: z.number(), medium: z.number() }).optional() })
    .optional(),
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
  constructor(readonly where: string, reason: string) {
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
  const expected = card.explanation.background.length * card.explanation.permutations_per_background;
  if (card.explanation.permutations.length !== expected) {
    throw new ModelCardError(where, `explanation.permutations has ${card.explanation.permutations.length} entries, expected ${expected}`);
  }
  return card;
}
