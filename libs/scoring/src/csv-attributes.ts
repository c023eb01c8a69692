import type { FeatureSpec } from './model-card';

/**
 * A CSV record (strings) as model inputs, read from each feature's column (its name unless the card
 * names another): numeric columns become numbers, a blank numeric becomes null (a sum or count with
 * `missing_means`, e.g. charges before the first invoice, then reads as that value; an optional feature
 * is missing; any other blank is reported missing by the validator), categoricals stay strings.
 */
export function attributesFromCsvRecord(specs: readonly FeatureSpec[], record: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    const raw = record[spec.column ?? spec.name];
    if (raw === undefined) continue;
    if (spec.kind === 'numeric') {
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
