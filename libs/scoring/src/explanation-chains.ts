import type { FeatureRow } from './feature-validation';
import type { ModelCard } from './model-card';

/** One permutation chain of the trainer's sampled Shapley algorithm (apps/trainer/README.md). */
export interface Chain {
  readonly background: number;
  readonly order: readonly number[];
}

/** Evaluates model rows in one call and returns the float32 probabilities, in order. */
export type RowEvaluator = (rows: readonly FeatureRow[]) => Promise<Float32Array>;

/** The card's chains in the trainer's order: for each background row and permutation, forward then reversed. */
export function chainsOf(card: ModelCard): Chain[] {
  const e = card.explanation;
  const chains: Chain[] = [];
  for (let i = 0; i < e.background.length; i++) {
    for (let k = 0; k < e.permutations_per_background; k++) {
      const order = e.permutations[i * e.permutations_per_background + k]!;
      chains.push({ background: i, order }, { background: i, order: [...order].reverse() });
    }
  }
  return chains;
}

/** Whether the model sees the same input (numbers go in as float32). */
export function sameInput(a: string | number, b: string | number, isString: boolean): boolean {
  return isString ? a === b : Math.fround(a as number) === Math.fround(b as number);
}

/**
 * mask[i*width + j] = 1 where customer x's value of feature j differs from background row i's. A chain
 * step on an equal attribute repeats the previous row: its contribution is exactly 0, it is skipped.
 */
export function differenceMask(x: FeatureRow, background: readonly FeatureRow[], isString: readonly boolean[]): Uint8Array {
  const width = isString.length;
  const mask = new Uint8Array(background.length * width);
  background.forEach((b, i) => {
    for (let j = 0; j < width; j++) mask[i * width + j] = sameInput(x[j]!, b[j]!, isString[j]!) ? 0 : 1;
  });
  return mask;
}
