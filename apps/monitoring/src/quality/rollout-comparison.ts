import type { ExposureRow, LabelledPredictionRow } from '@churn/monitoring-data';
import type { ModelAssignments } from '@churn/contracts';
import { newestExposures } from '@churn/monitoring-data';
import type { ModelQuality } from './model-quality';

/** One side of a gradual rollout: a version, the customers it serves, and its figures on them alone. */
export interface RolloutArm<Roi> {
  readonly model_version: string;
  /** Which side this is: the champion (the customers outside the share) or the version under rollout. */
  readonly serving: 'champion' | 'rollout';
  /** Customers whose newest served prediction (scored in the exposure period) is this version's. */
  readonly customers: number;
  /** Quality of this version's served predictions of its own customers; null before any is labelled. */
  readonly quality: ModelQuality | null;
  /** The programme's economics over this arm's customers, per window. */
  readonly roi: Roi;
}

export interface RolloutComparison<Roi> {
  readonly version: string;
  readonly share: number;
  readonly champion: string;
  readonly arms: readonly [RolloutArm<Roi>, RolloutArm<Roi>];
}

/**
 * The champion and the version under rollout compared on live outcomes, each on its own customers: a
 * customer belongs to the version whose served prediction of it is the newest (the scorer's customer
 * hash decides which one serves it, so each arm is a random part of the base, and a customer moves when
 * the share grows). Each arm's figures use only its version's served predictions of its customers: the
 * champion's older predictions of customers the rollout now serves do not count for the champion.
 *
 * `candidates` are the newest served predictions per customer and version (monitoring's exposure
 * candidates); `quality` and `roi` compute the figures from an arm's rows as the whole-programme ones do.
 */
export function rolloutComparison<Roi>(
  assignments: ModelAssignments,
  candidates: readonly ExposureRow[],
  labelled: readonly LabelledPredictionRow[],
  quality: (rows: readonly LabelledPredictionRow[]) => ModelQuality[],
  roi: (exposures: readonly ExposureRow[], labelled: readonly LabelledPredictionRow[]) => Roi,
): RolloutComparison<Roi> | null {
  const { rollout, champion } = assignments;
  if (rollout === null || champion === null) return null;
  const servingVersion = new Map(newestExposures(candidates, null).map((e) => [e.customer_id, e.model_version]));
  const arm = (version: string, serving: 'champion' | 'rollout'): RolloutArm<Roi> => {
    const own = (row: { customer_id: string; model_version: string }) => row.model_version === version && servingVersion.get(row.customer_id) === version;
    const rows = labelled.filter((r) => r.role === 'champion' && own(r));
    return {
      model_version: version,
      serving,
      customers: [...servingVersion.values()].filter((v) => v === version).length,
      quality: quality(rows)[0] ?? null,
      roi: roi(candidates.filter(own), rows),
    };
  };
  return { version: rollout.version, share: rollout.share, champion, arms: [arm(champion, 'champion'), arm(rollout.version, 'rollout')] };
}
