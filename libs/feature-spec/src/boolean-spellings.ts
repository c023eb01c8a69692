/**
 * Spellings of a yes/no value in a customer table, lower-cased; the first of each pair means yes. A
 * boolean column may use any of them, in any case: the model reads it as the attribute's true_value /
 * false_value (the Python trainer knows the same list, apps/trainer/src/churn_trainer/spec.py).
 */
export const BOOLEAN_PAIRS: readonly (readonly [string, string])[] = [
  ['yes', 'no'],
  ['true', 'false'],
  ['1', '0'],
  ['y', 'n'],
];

/** A table cell as a boolean: the attribute's own spelling of true or false, or one of BOOLEAN_PAIRS; undefined otherwise. */
export function booleanOfCell(text: string, trueValue: string | number, falseValue: string | number): boolean | undefined {
  const cell = text.trim();
  if (cell === String(trueValue)) return true;
  if (cell === String(falseValue)) return false;
  const lower = cell.toLowerCase();
  if (BOOLEAN_PAIRS.some(([yes]) => yes === lower)) return true;
  if (BOOLEAN_PAIRS.some(([, no]) => no === lower)) return false;
  return undefined;
}
