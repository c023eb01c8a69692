/** A command-line number that must be finite and ≥ 0 (a label delay in days, a row count). */
export function nonNegativeNumber(option: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new Error(`${option} must be a number ≥ 0, not "${text}"`);
  return value;
}
