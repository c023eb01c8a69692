import { createHash } from 'node:crypto';

/**
 * The same feature message scored by the same model in the same role always gets the same id, so a
 * redelivered message yields the same prediction (the table's key, and downstream dedup keys).
 */
export function predictionIdOf(sourceEventId: string, modelVersion: string, role: string): string {
  const hex = createHash('sha256').update(`${sourceEventId}\u0000${modelVersion}\u0000${role}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
