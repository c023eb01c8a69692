import type { FeatureSpec } from './model-card';

/**
 * A CSV record (strings) as model attributes: numeric columns become numbers, a blank numeric
 * becomes null (TotalCharges blank = no invoice yet = 0, via the card's `missing_means`; any other
 * blank is reported missing by the validator), categoricals stay strings.
 */
export function attributesFromCsvRecord(specs: readonly FeatureSpec[], record: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    const raw = record[spec.name];
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
