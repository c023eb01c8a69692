import type { ScalarValue } from './evaluator-types';

/** A top-level payload field when it holds a scalar (string, finite number or boolean); undefined otherwise. */
export function payloadScalar(payload: unknown, field: string): ScalarValue | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const value = (payload as Record<string, unknown>)[field];
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return undefined;
}

/** A top-level payload field when it holds a finite number. */
export function payloadNumber(payload: unknown, field: string): number | undefined {
  const value = payloadScalar(payload, field);
  return typeof value === 'number' ? value : undefined;
}
