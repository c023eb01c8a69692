import type { FeatureSpec } from './model-card';

/** One model input row: the raw attribute values in the model's input order. */
export type FeatureRow = (string | number)[];

export interface FeatureIssue {
  /** The feature's name (the model input). */
  readonly field: string;
  readonly message: string;
}

export type FeatureCheck = { readonly ok: true; readonly row: FeatureRow } | { readonly ok: false; readonly issues: FeatureIssue[] };

export interface FeatureValidationOptions {
  /**
   * How far beyond the training range a number may go, as a fraction of that range (0 = the card's
   * min/max exactly). Tenure and charges keep growing after training, so a strict range would park
   * every long-standing customer; far-out values are still refused.
   */
  readonly rangeTolerance: number;
}

export const DEFAULT_FEATURE_VALIDATION: FeatureValidationOptions = { rangeTolerance: 0.25 };

/**
 * Checks a customer's attributes against the model card before inference, so that a missing
 * attribute, an unseen category or an out-of-range number is an error naming the field rather
 * than a silent all-zero one-hot or NaN inside the graph.
 */
export class FeatureValidator {
  private readonly bounds: ({ lo: number; hi: number } | null)[];

  constructor(
    readonly specs: readonly FeatureSpec[],
    options: FeatureValidationOptions = DEFAULT_FEATURE_VALIDATION,
  ) {
    this.bounds = specs.map((spec) => {
      if (spec.kind !== 'numeric') return null;
      const slack = options.rangeTolerance * (spec.max - spec.min);
      return { lo: spec.min >= 0 ? Math.max(0, spec.min - slack) : spec.min - slack, hi: spec.max + slack };
    });
  }

  check(attributes: unknown): FeatureCheck {
    if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
      return { ok: false, issues: [{ field: '(features)', message: 'must be an object of attribute values' }] };
    }
    const source = attributes as Record<string, unknown>;
    const row: FeatureRow = new Array(this.specs.length);
    const issues: FeatureIssue[] = [];
    this.specs.forEach((spec, j) => {
      const raw = source[spec.name];
      const blank = raw === undefined || raw === null || raw === '';
      if (spec.kind === 'categorical') {
        if (blank && spec.optional) {
          row[j] = ''; // encoded as all zeros in the graph: "no value"
        } else if (blank) {
          issues.push({ field: spec.name, message: 'is missing' });
        } else if (typeof raw !== 'string') {
          issues.push({
            field: spec.name,
            message: spec.open_ended ? 'must be a string' : `must be one of ${spec.categories.map((c) => JSON.stringify(c)).join(', ')}`,
          });
        } else if (spec.open_ended) {
          row[j] = raw; // a value the model did not keep is its other bucket (all zeros in the graph)
        } else if (!spec.categories.includes(raw)) {
          issues.push({
            field: spec.name,
            message: `unseen category ${JSON.stringify(raw)}; expected one of ${spec.categories.map((c) => JSON.stringify(c)).join(', ')}`,
          });
        } else {
          row[j] = raw;
        }
        return;
      }
      let value: number;
      if (blank && spec.missing_means !== undefined && raw !== undefined) {
        value = spec.missing_means;
      } else if (blank && spec.optional) {
        row[j] = Number.NaN; // imputed in the graph (the training median)
        return;
      } else if (blank) {
        issues.push({ field: spec.name, message: 'is missing' });
        return;
      } else if (typeof raw === 'boolean') {
        value = raw ? 1 : 0;
      } else if (typeof raw === 'number') {
        value = raw;
      } else {
        issues.push({ field: spec.name, message: 'must be a number' });
        return;
      }
      if (!Number.isFinite(value)) {
        issues.push({ field: spec.name, message: 'must be a finite number' });
      } else if (spec.allowed_values && !spec.allowed_values.includes(value)) {
        issues.push({ field: spec.name, message: `must be one of ${spec.allowed_values.join(', ')}` });
      } else if (value < this.bounds[j]!.lo || value > this.bounds[j]!.hi) {
        issues.push({ field: spec.name, message: `${value} is out of range [${round(this.bounds[j]!.lo)}, ${round(this.bounds[j]!.hi)}]` });
      } else {
        row[j] = value;
      }
    });
    return issues.length > 0 ? { ok: false, issues } : { ok: true, row };
  }

  /** The validated row as an object keyed by attribute name (what is stored with a prediction). */
  toRecord(row: FeatureRow): Record<string, string | number> {
    const out: Record<string, string | number> = {};
    this.specs.forEach((spec, j) => (out[spec.name] = row[j]!));
    return out;
  }

  /**
   * The validated row as a message carries it (the vector on `predictions`): a missing number, NaN in
   * the model's row, travels as null, as on `customer-features` — JSON has no NaN, and the contract
   * refuses a non-finite number.
   */
  toMessageRecord(row: FeatureRow): Record<string, string | number | null> {
    const out: Record<string, string | number | null> = {};
    this.specs.forEach((spec, j) => {
      const value = row[j]!;
      out[spec.name] = typeof value === 'number' && !Number.isFinite(value) ? null : value;
    });
    return out;
  }
}

export function describeIssues(issues: readonly FeatureIssue[]): string {
  return issues.map((i) => `${i.field}: ${i.message}`).join('; ');
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
