import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { AdditiveLogitExplainer, type AdditivityCheck, type ExplanationPath } from './additive-explainer';
import { chainsOf, differenceMask, type Chain } from './explanation-chains';
import { FeatureValidator, type FeatureRow, type FeatureValidationOptions } from './feature-validation';
import { parseModelCard, type ModelCard } from './model-card';

export interface ModelLoadOptions {
  /** onnxruntime intra-op threads; 1 measured fastest for these small graphs on 2 cores. */
  readonly intraOpNumThreads?: number;
  readonly validation?: FeatureValidationOptions;
  /**
   * `auto` (default): the exact additive-logit fast path when the load-time check shows the model's
   * logit is additive per attribute, else full evaluation. `full`: always evaluate every chain row.
   */
  readonly explainer?: 'auto' | 'full';
}

export interface ScoredRow {
  /** The model's float32 output, as a double (exactly the trainer's value). */
  readonly probability: number;
  /** Per-feature contributions in model input order (probability units), when explained. */
  readonly contributions?: Float64Array;
}

/** A model version could not be loaded (files missing, card invalid, ONNX session failed). */
export class ModelLoadError extends Error {
  readonly code = 'MODEL_LOAD_FAILED';
  constructor(
    readonly dir: string,
    reason: string,
  ) {
    super(`cannot load model from ${dir}: ${reason}`);
    this.name = 'ModelLoadError';
  }
}

/** Rows per onnxruntime call: large enough to amortise the call, small enough to keep memory flat. */
const MAX_ROWS_PER_RUN = 65_536;
/** Customers per call on the additive path (each costs its own row plus rarely-seen attribute values). */
const ADDITIVE_CUSTOMERS_PER_RUN = 8192;

/**
 * One model version: the ONNX session, its card, the feature validator and the explainer.
 *
 * Explanations are the trainer's sampled Shapley values (apps/trainer/README.md): 100 antithetic
 * permutation chains against the card's 50 background rows. All chain rows of a batch of customers
 * go to onnxruntime in one call. A chain step whose attribute already has the customer's value
 * repeats the previous row, so it is not evaluated (its contribution is exactly 0), and the last
 * changing step of a chain is the customer's own row, f(x), evaluated once.
 *
 * For a model whose logit is additive per attribute (checked at load, see additive-explainer.ts) the
 * chain rows are not evaluated at all: `explanationPath` is then `additive_logit`; customers that
 * path cannot explain exactly fall back to the full evaluation.
 */
export class OnnxChurnModel {
  readonly version: string;
  readonly validator: FeatureValidator;
  readonly featureNames: readonly string[];
  private readonly isString: boolean[];
  private readonly inputNames: string[];
  private readonly outputName: string;
  private readonly chains: Chain[];
  private readonly backgroundRows: FeatureRow[];
  private backgroundPredictions: Float32Array = new Float32Array(0);
  private additive: AdditiveLogitExplainer | null = null;
  /** The load-time additivity check (null when the full path was forced). */
  additivity: AdditivityCheck | null = null;
  /** Customers the additive path handed to the full evaluation since load (0/1 probabilities, failed check). */
  fullEvaluationFallbacks = 0;

  private constructor(
    readonly dir: string,
    readonly card: ModelCard,
    private readonly session: ort.InferenceSession,
    validation: FeatureValidationOptions | undefined,
  ) {
    this.version = card.version;
    this.validator = new FeatureValidator(card.features, validation);
    this.featureNames = card.features.map((f) => f.name);
    this.inputNames = card.onnx.inputs.map((i) => i.name);
    this.isString = card.onnx.inputs.map((i) => i.dtype === 'string');
    this.outputName = card.onnx.output.name;
    this.backgroundRows = card.explanation.background.map((b) => this.featureNames.map((name) => b[name] ?? ''));
    this.chains = chainsOf(card);
  }

  /** How explanations are computed on this instance (both give the trainer's values). */
  get explanationPath(): ExplanationPath {
    return this.additive ? 'additive_logit' : 'full_evaluation';
  }

  static async load(dir: string, options: ModelLoadOptions = {}): Promise<OnnxChurnModel> {
    const cardPath = path.join(dir, 'model-card.json');
    let card: ModelCard;
    try {
      card = parseModelCard(JSON.parse(fs.readFileSync(cardPath, 'utf8')), cardPath);
    } catch (error) {
      throw new ModelLoadError(dir, (error as Error).message);
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(path.join(dir, card.onnx.file), {
        intraOpNumThreads: options.intraOpNumThreads ?? 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      });
    } catch (error) {
      throw new ModelLoadError(dir, (error as Error).message);
    }
    const model = new OnnxChurnModel(dir, card, session, options.validation);
    const missing = model.inputNames.filter((name) => !session.inputNames.includes(name));
    if (missing.length > 0 || !session.outputNames.includes(model.outputName)) {
      await session.release();
      throw new ModelLoadError(dir, `the ONNX graph does not have the inputs/output its card names (${missing.join(', ') || model.outputName})`);
    }
    model.backgroundPredictions = await model.run(model.backgroundRows);
    if ((options.explainer ?? 'auto') === 'auto') {
      const { explainer, check } = await AdditiveLogitExplainer.build({
        evaluate: (rows) => model.run(rows),
        background: model.backgroundRows,
        backgroundPredictions: model.backgroundPredictions,
        chains: model.chains,
        isString: model.isString,
        specs: card.features,
      });
      model.additive = explainer;
      model.additivity = check;
    }
    return model;
  }

  /** Mean model output over the explanation background: contributions add up to probability − baseline. */
  get baseline(): number {
    let sum = 0;
    for (const p of this.backgroundPredictions) sum += p;
    return sum / this.backgroundPredictions.length;
  }

  /** Scores validated rows, in order; with `explain`, also their per-feature contributions. */
  async score(rows: readonly FeatureRow[], options: { explain: boolean }): Promise<ScoredRow[]> {
    if (!options.explain) {
      const out: ScoredRow[] = [];
      for (let start = 0; start < rows.length; start += MAX_ROWS_PER_RUN) {
        const probabilities = await this.run(rows.slice(start, start + MAX_ROWS_PER_RUN));
        for (const p of probabilities) out.push({ probability: p });
      }
      return out;
    }
    return this.additive ? this.explainAdditive(rows) : this.explainFull(rows);
  }

  /** Every chain row evaluated by onnxruntime, as many customers per call as fit. */
  private async explainFull(rows: readonly FeatureRow[]): Promise<ScoredRow[]> {
    const out: ScoredRow[] = [];
    const perCustomer = this.chains.length * (this.featureNames.length - 1) + 1;
    const customersPerRun = Math.max(1, Math.floor(MAX_ROWS_PER_RUN / perCustomer));
    for (let start = 0; start < rows.length; start += customersPerRun) {
      out.push(...(await this.explainBatch(rows.slice(start, start + customersPerRun))));
    }
    return out;
  }

  async close(): Promise<void> {
    await this.session.release();
  }

  /** Evaluates rows in one onnxruntime call; inputs are built column-wise. */
  private async run(rows: readonly FeatureRow[]): Promise<Float32Array> {
    const columns = this.allocate(rows.length);
    rows.forEach((row, r) => this.write(columns, r, row));
    return this.runColumns(columns, rows.length);
  }

  private allocate(n: number): (string[] | Float32Array)[] {
    return this.isString.map((s) => (s ? new Array<string>(n) : new Float32Array(n)));
  }

  private write(columns: (string[] | Float32Array)[], r: number, row: FeatureRow): void {
    for (let j = 0; j < row.length; j++) (columns[j] as unknown as (string | number)[])[r] = row[j]!;
  }

  private async runColumns(columns: (string[] | Float32Array)[], n: number): Promise<Float32Array> {
    if (n === 0) return new Float32Array(0);
    const feeds: Record<string, ort.Tensor> = {};
    this.inputNames.forEach((name, j) => {
      feeds[name] = this.isString[j] ? new ort.Tensor('string', columns[j] as string[], [n, 1]) : new ort.Tensor('float32', columns[j] as Float32Array, [n, 1]);
    });
    const results = await this.session.run(feeds);
    return results[this.outputName]!.data as Float32Array;
  }

  private async explainAdditive(rows: readonly FeatureRow[]): Promise<ScoredRow[]> {
    const out: ScoredRow[] = [];
    for (let start = 0; start < rows.length; start += ADDITIVE_CUSTOMERS_PER_RUN) {
      const chunk = rows.slice(start, start + ADDITIVE_CUSTOMERS_PER_RUN);
      const fast = await this.additive!.explain(chunk);
      const rest = chunk.filter((_, k) => fast[k] === null);
      const full = rest.length > 0 ? await this.explainFull(rest) : [];
      this.fullEvaluationFallbacks += rest.length;
      let f = 0;
      for (const result of fast) out.push(result ?? full[f++]!);
    }
    return out;
  }

  private async explainBatch(xs: readonly FeatureRow[]): Promise<ScoredRow[]> {
    const width = this.featureNames.length;
    const chains = this.chains;
    // differs[k][i*width + j]: customer k's value of feature j differs from background row i's (as the model sees it).
    const differs = xs.map((x) => differenceMask(x, this.backgroundRows, this.isString));
    // Pass 1: count the rows to evaluate.
    let total = xs.length;
    for (let k = 0; k < xs.length; k++) {
      for (const chain of chains) {
        let changing = 0;
        for (const j of chain.order) changing += differs[k]![chain.background * width + j]!;
        total += Math.max(0, changing - 1);
      }
    }
    // Pass 2: the customers' own rows first, then every chain's intermediate rows.
    const columns = this.allocate(total);
    xs.forEach((x, k) => this.write(columns, k, x));
    let r = xs.length;
    const z: (string | number)[] = new Array(width);
    for (let k = 0; k < xs.length; k++) {
      const x = xs[k]!;
      const mask = differs[k]!;
      for (const chain of chains) {
        const b = this.backgroundRows[chain.background]!;
        const base = chain.background * width;
        let remaining = 0;
        for (const j of chain.order) remaining += mask[base + j]!;
        for (let j = 0; j < width; j++) z[j] = b[j]!;
        for (const j of chain.order) {
          if (!mask[base + j]) continue;
          z[j] = x[j]!;
          if (--remaining > 0) this.write(columns, r++, z);
        }
      }
    }
    const out = await this.runColumns(columns, total);
    // Pass 3: walk the chains again and accumulate the differences in float64.
    const results: ScoredRow[] = [];
    r = xs.length;
    for (let k = 0; k < xs.length; k++) {
      const mask = differs[k]!;
      const fx = out[k]!;
      const phi = new Float64Array(width);
      for (const chain of chains) {
        const base = chain.background * width;
        let remaining = 0;
        for (const j of chain.order) remaining += mask[base + j]!;
        let prev = this.backgroundPredictions[chain.background]!;
        for (const j of chain.order) {
          if (!mask[base + j]) continue;
          const cur = --remaining > 0 ? out[r++]! : fx;
          phi[j]! += cur - prev;
          prev = cur;
        }
      }
      for (let j = 0; j < width; j++) phi[j]! /= chains.length;
      results.push({ probability: fx, contributions: phi });
    }
    return results;
  }
}
