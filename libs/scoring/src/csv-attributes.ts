import { booleanOfCell } from '@churn/feature-spec';
import type { FeatureSpec } from './model-card';

/**
 * A CSV record (strings) as model inputs, read from each feature's column (its name unless the card
 * names another): a boolean spelled yes/no, true/false, 1/0 or y/n (any case) becomes the model's
 * spelling of true or false, numeric columns become numbers, a blank numeric becomes null (a sum or count with
 * `missing_means`, e.g. charges before the first invoice, then reads as that value; an optional feature
 * is missing; any other blank is reported missing by the validator), categoricals stay strings.
 */
export function attributesFromCsvRecord(specs: readonly FeatureSpec[], record: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    const raw = record[spec.column ?? spec.name];
    if (raw === undefined) continue;
    const encoding = spec.boolean;
    const yes = encoding ? booleanOfCell(raw, encoding.true, encoding.false) : undefined;
    if (encoding && yes !== undefined) {
      out[spec.name] = yes ? encoding.true : encoding.false;
    } else if (spec.kind === 'numeric') {
      const text = raw.trim();
      out[spec.name] = text === '' ? null : Number(text);
    } else {
      out[spec.name] = raw;
    }
  }
  return out;
}

/** The columns a table must have for these features to be read from it (each feature's column, in order). */
export function featureColumnsOf(specs: readonly FeatureSpec[]): string[] {
  return specs.map((spec) => spec.column ?? spec.name);
}
