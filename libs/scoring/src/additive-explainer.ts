import { sameInput, type Chain, type RowEvaluator } from './explanation-chains';
import type { FeatureRow } from './feature-validation';
import type { FeatureSpec } from './model-card';
import { seededRandom } from '@churn/analytics';

/** How a model's explanations are computed: both give the trainer's sampled Shapley values. */
export type ExplanationPath = 'additive_logit' | 'full_evaluation';

/** Outcome of the load-time additivity check against real ONNX rows. */
export interface AdditivityCheck {
  readonly additive: boolean;
  /** Largest |ONNX probability − additive reconstruction| over the checked rows. */
  readonly maxDifference: number;
  readonly rowsChecked: number;
  readonly tolerance: number;
  /** Why the fast path was refused (null when accepted). */
  readonly reason: string | null;
}

export interface AdditiveExplainerInput {
  readonly evaluate: RowEvaluator;
  readonly background: readonly FeatureRow[];
  /** f(background row i), the float32 ONNX outputs. */
  readonly backgroundPredictions: Float32Array;
  readonly chains: readonly Chain[];
  readonly isString: readonly boolean[];
  /** The card's features: their categories and ranges seed the term cache and the check rows. */
  readonly specs: readonly FeatureSpec[];
  /** Accept the fast path only if every check row is reconstructed within this (probability units). */
  readonly tolerance?: number;
  /** Multi-attribute substitution rows evaluated at load to test additivity. */
  readonly checkRows?: number;
  readonly seed?: number;
}

export interface AdditiveExplanation {
  readonly probability: number;
  readonly contributions: Float64Array;
}

export const DEFAULT_ADDITIVITY_TOLERANCE = 2e-6;
/** Term cache entries per feature; charges are nearly unique per customer, so the cache is bounded. */
const MAX_CACHED_TERMS = 100_000;

type TermKey = string | number;

/**
 * The trainer's permutation-Shapley explanation, computed exactly for a model whose logit is additive
 * per raw attribute (logistic regression with per-attribute one-hot/scaling/binning, Platt-calibrated):
 * logit f(x) = b + Σⱼ gⱼ(xⱼ). Then every chain row's logit is logit f(bᵢ) plus the term differences
 * gⱼ(xⱼ) − gⱼ(bᵢⱼ) switched on so far, so no chain row is evaluated by onnxruntime. The terms are
 * measured with real ONNX rows as single-attribute substitutions into one anchor background row a:
 * gⱼ(v) − gⱼ(aⱼ) = logit f(a[j←v]) − logit f(a), cached per (attribute, value). A customer then costs
 * its own row plus one row per attribute value not seen before (categories are seeded at load), instead
 * of ~1,000 rows. The chain ends stay the ONNX values f(bᵢ) and f(x), so contributions still add up to
 * f(x) − baseline; inner chain values differ from a full evaluation only by the float32 rounding of the
 * ONNX outputs.
 *
 * Additivity is verified, never assumed: at load with a few hundred multi-attribute substitution rows
 * (background × background and background × random in-range rows), and for every customer by comparing
 * f(x) with its additive reconstruction from the anchor. A customer that fails (or whose probabilities
 * are 0 or 1 in float32, where the logit is infinite) gets `null`: the caller evaluates it in full.
 */
export class AdditiveLogitExplainer {
  private readonly width: number;
  /** Per attribute: value → gⱼ(v) − gⱼ(aⱼ). */
  private readonly terms: Map<TermKey, number>[];
  /** [i*width + j] = gⱼ(bᵢⱼ) − gⱼ(aⱼ); set by build(). */
  private backgroundTerms = new Float64Array(0);
  /** [i*width + j] = exp(−backgroundTerms), and odds f(bᵢ)/(1 − f(bᵢ)): the walk's precomputed factors. */
  private backgroundFactors = new Float64Array(0);
  private readonly backgroundOdds: Float64Array;
  /** Per attribute: background value as the model sees it (float32 numbers) → small id; ids of row i at [i*width + j]. */
  private readonly backgroundValueIds: Map<TermKey, number>[];
  private readonly backgroundIds: Int32Array;
  /** Scratch of the (synchronous) chain walk, reused across customers to spare the garbage collector. */
  private readonly scratch: { factor: Float64Array; changing: Int32Array; xIds: Int32Array; xFactor: Float64Array };
  /** Chains flattened: chain c walks chainOrder[c*width .. c*width+width) from background chainBackground[c]. */
  private readonly chainOrder: Int32Array;
  private readonly chainBackground: Int32Array;
  private verified: AdditivityCheck | null = null;

  private constructor(
    private readonly input: AdditiveExplainerInput,
    private readonly tolerance: number,
    private readonly anchor: FeatureRow,
    private readonly anchorLogit: number,
    private readonly backgroundLogits: Float64Array,
  ) {
    const width = input.isString.length;
    this.width = width;
    this.terms = input.isString.map(() => new Map<TermKey, number>());
    this.backgroundOdds = Float64Array.from(input.backgroundPredictions, (p) => p / (1 - p));
    this.backgroundValueIds = input.isString.map(() => new Map<TermKey, number>());
    this.backgroundIds = Int32Array.from(
      input.background.flatMap((b) =>
        b.map((v, j) => {
          const ids = this.backgroundValueIds[j]!;
          const key = this.keyOf(j, v);
          if (!ids.has(key)) ids.set(key, ids.size);
          return ids.get(key)!;
        }),
      ),
    );
    const rows = input.background.length;
    this.scratch = { factor: new Float64Array(rows * width), changing: new Int32Array(rows), xIds: new Int32Array(width), xFactor: new Float64Array(width) };
    this.chainOrder = new Int32Array(input.chains.length * width);
    this.chainBackground = Int32Array.from(input.chains, (c) => c.background);
    input.chains.forEach((chain, c) => this.chainOrder.set(chain.order, c * width));
  }

  /** The load-time additivity check this explainer passed. */
  get check(): AdditivityCheck {
    return this.verified!;
  }

  /** Measures the terms and checks additivity; `explainer` is null when the model is not additive. */
  static async build(input: AdditiveExplainerInput): Promise<{ explainer: AdditiveLogitExplainer | null; check: AdditivityCheck }> {
    const tolerance = input.tolerance ?? DEFAULT_ADDITIVITY_TOLERANCE;
    const refuse = (reason: string, maxDifference = Number.NaN, rowsChecked = 0) => ({
      explainer: null,
      check: { additive: false, maxDifference, rowsChecked, tolerance, reason },
    });
    const { background, backgroundPredictions: fb, isString } = input;
    const width = isString.length;
    if (!fb.every(inOpenUnit)) return refuse('a background prediction is 0 or 1 in float32 (infinite logit)');
    const backgroundLogits = Float64Array.from(fb, logit);
    // The anchor with the lowest probability: float32 rounding costs the least logit precision far from 1.
    let anchorIndex = 0;
    fb.forEach((p, i) => (p < fb[anchorIndex]! ? (anchorIndex = i) : undefined));
    const anchor = background[anchorIndex]!;
    const anchorLogit = backgroundLogits[anchorIndex]!;
    // Seeded: the load-time check rows are the same on every start.
    const random = seededRandom(input.seed ?? 20261121);
    const probes = Array.from({ length: 20 }, () => randomRow(input.specs, random));

    // 1. Single-attribute substitutions into the anchor: background values, card categories, probe values.
    const seeds: [number, string | number][] = [];
    for (let j = 0; j < width; j++) {
      const spec = input.specs[j]!;
      const values: (string | number)[] = [...background.map((b) => b[j]!), ...probes.map((p) => p[j]!)];
      if (spec.kind === 'categorical') values.push(...spec.categories);
      else if (spec.allowed_values) values.push(...spec.allowed_values);
      for (const v of values) seeds.push([j, v]);
    }
    const explainer = new AdditiveLogitExplainer(input, tolerance, anchor, anchorLogit, backgroundLogits);
    if (!(await explainer.measureTerms(seeds)).allMeasured) return refuse('a single-attribute substitution gives probability 0 or 1 in float32');
    const backgroundTerms = new Float64Array(background.length * width);
    background.forEach((b, i) => {
      for (let j = 0; j < width; j++) backgroundTerms[i * width + j] = explainer.term(j, b[j]!)!;
    });
    explainer.backgroundTerms = backgroundTerms;
    explainer.backgroundFactors = Float64Array.from(backgroundTerms, (t) => Math.exp(-t));
    if (!explainer.backgroundFactors.every((e) => e > 0 && Number.isFinite(e))) return refuse('a background term overflows exp()');

    // 2. Multi-attribute substitutions, evaluated for real and reconstructed additively.
    const rows: FeatureRow[] = [];
    const predicted: number[] = [];
    const checkRows = input.checkRows ?? 400;
    for (let t = 0; t < checkRows; t++) {
      const i = Math.floor(random() * background.length);
      const donor = t % 2 === 0 ? background[Math.floor(random() * background.length)]! : probes[t % probes.length]!;
      const z = [...background[i]!];
      let l = backgroundLogits[i]!;
      for (let j = 0; j < width; j++) {
        if (random() < 0.5 || sameInput(z[j]!, donor[j]!, isString[j]!)) continue;
        z[j] = donor[j]!;
        l += explainer.term(j, donor[j]!)! - backgroundTerms[i * width + j]!;
      }
      rows.push(z);
      predicted.push(sigmoid(l));
    }
    for (const p of probes) {
      rows.push(p);
      predicted.push(sigmoid(anchorLogit + p.reduce<number>((sum, v, j) => sum + explainer.term(j, v)!, 0)));
    }
    const actual = await input.evaluate(rows);
    let maxDifference = 0;
    actual.forEach((f, r) => (maxDifference = Math.max(maxDifference, Math.abs(f - predicted[r]!))));
    if (!(maxDifference <= tolerance)) {
      return refuse(
        `the logit is not additive per attribute: max |f − additive reconstruction| = ${maxDifference.toExponential(2)} over ${rows.length} rows`,
        maxDifference,
        rows.length,
      );
    }
    explainer.verified = { additive: true, maxDifference, rowsChecked: rows.length, tolerance, reason: null };
    return { explainer, check: explainer.verified };
  }

  /**
   * Scores and explains customers (their own rows go in the same ONNX call as new terms). Returns null for a
   * customer the fast path cannot explain exactly (the caller evaluates it in full).
   */
  async explain(xs: readonly FeatureRow[]): Promise<(AdditiveExplanation | null)[]> {
    const width = this.width;
    const missing: [number, string | number][] = [];
    const pending = this.terms.map(() => new Set<TermKey>());
    for (const x of xs) {
      for (let j = 0; j < width; j++) {
        const key = this.keyOf(j, x[j]!);
        if (!this.terms[j]!.has(key) && !pending[j]!.has(key)) {
          pending[j]!.add(key);
          missing.push([j, x[j]!]);
        }
      }
    }
    const fx = (await this.measureTerms(missing, xs)).outputs;
    return xs.map((x, k) => this.walkChains(x, fx[k]!));
  }

  /**
   * The chain walk in odds space: odds(z) = odds(bᵢ) · Π exp(gⱼ(xⱼ)) · exp(−(gⱼ(bᵢⱼ) − gⱼ(aⱼ))) over
   * the attributes switched so far, so the walk needs no exp/log per step (the per-background factors
   * are precomputed), only a multiply and a divide.
   */
  private walkChains(x: FeatureRow, p: number): AdditiveExplanation | null {
    if (!inOpenUnit(p)) return null;
    const width = this.width;
    const { factor, changing, xIds, xFactor } = this.scratch;
    let l = this.anchorLogit;
    for (let j = 0; j < width; j++) {
      const t = this.term(j, x[j]!);
      if (t === undefined) return null;
      // -1: a value no background row has, so it differs from all of them.
      xIds[j] = this.backgroundValueIds[j]!.get(this.keyOf(j, x[j]!)) ?? -1;
      xFactor[j] = Math.exp(t);
      l += t;
    }
    // Per-customer additivity check: the anchor plus x's terms must give the ONNX f(x).
    if (!(Math.abs(sigmoid(l) - p) <= this.tolerance)) return null;
    // A term so large that its exp overflows (or underflows) cannot be walked in odds: full evaluation.
    if (!xFactor.every((e) => e > 0 && Number.isFinite(e))) return null;
    const rows = this.backgroundOdds.length;
    for (let i = 0; i < rows; i++) {
      let n = 0;
      for (let j = 0; j < width; j++) {
        const at = i * width + j;
        // 0 marks an attribute where x equals the background row: the step repeats its row, contribution 0.
        if (xIds[j] === this.backgroundIds[at]) factor[at] = 0;
        else {
          factor[at] = xFactor[j]! * this.backgroundFactors[at]!;
          n++;
        }
      }
      changing[i] = n;
    }
    const phi = new Float64Array(width);
    const fb = this.input.backgroundPredictions;
    const chainCount = this.chainBackground.length;
    for (let c = 0; c < chainCount; c++) {
      const i = this.chainBackground[c]!;
      const base = i * width;
      let remaining = changing[i]!;
      let odds = this.backgroundOdds[i]!;
      let prev = fb[i]!;
      for (let s = c * width, end = s + width; s < end && remaining > 0; s++) {
        const j = this.chainOrder[s]!;
        const m = factor[base + j]!;
        if (m === 0) continue;
        odds *= m;
        const cur = --remaining > 0 ? odds / (1 + odds) : p;
        phi[j]! += cur - prev;
        prev = cur;
      }
    }
    for (let j = 0; j < width; j++) phi[j]! /= chainCount;
    return { probability: p, contributions: phi };
  }

  /** Cached gⱼ(v) − gⱼ(aⱼ); undefined when not measured (or its row's probability was 0 or 1). */
  private term(j: number, v: string | number): number | undefined {
    if (sameInput(v, this.anchor[j]!, this.input.isString[j]!)) return 0;
    return this.terms[j]!.get(this.keyOf(j, v));
  }

  private keyOf(j: number, v: string | number): TermKey {
    return this.input.isString[j] ? v : Math.fround(v as number);
  }

  /**
   * Evaluates `extra` rows (first) and the anchor substitutions in one ONNX call, caches the terms and
   * returns the outputs of the extra rows. A substitution with probability 0 or 1 is left uncached.
   */
  private async measureTerms(
    substitutions: readonly [number, string | number][],
    extra: readonly FeatureRow[] = [],
  ): Promise<{ outputs: Float32Array; allMeasured: boolean }> {
    const rows: FeatureRow[] = [...extra];
    const todo = substitutions.filter(([j, v]) => !sameInput(v, this.anchor[j]!, this.input.isString[j]!));
    for (const [j, v] of todo) {
      const z = [...this.anchor];
      z[j] = v;
      rows.push(z);
    }
    const out = await this.input.evaluate(rows);
    let allMeasured = true;
    todo.forEach(([j, v], r) => {
      const f = out[extra.length + r]!;
      if (!inOpenUnit(f)) {
        allMeasured = false;
        return;
      }
      const cache = this.terms[j]!;
      if (cache.size >= MAX_CACHED_TERMS) cache.clear();
      cache.set(this.keyOf(j, v), logit(f) - this.anchorLogit);
    });
    return { outputs: out.subarray(0, extra.length), allMeasured };
  }
}

function inOpenUnit(p: number): boolean {
  return p > 0 && p < 1;
}

function logit(p: number): number {
  return Math.log(p / (1 - p));
}

function sigmoid(l: number): number {
  return 1 / (1 + Math.exp(-l));
}

/** A random in-range row: categories from the card, numbers uniform in the training range. */
function randomRow(specs: readonly FeatureSpec[], random: () => number): FeatureRow {
  return specs.map((spec) => {
    if (spec.kind === 'categorical') return spec.categories[Math.floor(random() * spec.categories.length)]!;
    if (spec.allowed_values?.length) return spec.allowed_values[Math.floor(random() * spec.allowed_values.length)]!;
    return Math.fround(spec.min + random() * (spec.max - spec.min));
  });
}
