import { createHash } from 'node:crypto';
import { z } from 'zod';

export const experimentSchema = z.object({
  name: z.string().min(1),
  /** Share of customers in the control arm (no retention action taken), 0–1. */
  control_fraction: z.number().min(0).max(1).default(0.2),
});

export type ExperimentConfig = z.output<typeof experimentSchema>;
export type ExperimentArm = 'control' | 'treatment';

/**
 * Deterministic arm assignment: the same customer is always in the same arm of an experiment, on
 * every instance and after every restart, and different experiments split customers independently.
 */
export function assignArm(experiment: ExperimentConfig, customerId: string): ExperimentArm {
  const digest = createHash('sha256').update(`${experiment.name}\u0000${customerId}`).digest();
  const bucket = digest.readUInt32BE(0) / 0x1_0000_0000;
  return bucket < experiment.control_fraction ? 'control' : 'treatment';
}
