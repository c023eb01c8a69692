import type { Queryable } from '@churn/db';
import type { ModelAssignments, ModelRegistryChange } from '@churn/contracts';

export interface MonitoringModelVersionRow {
  version: string;
  card: Record<string, unknown>;
  registered_at: Date;
}

/** The registry's assignment as monitoring last applied it, with the revision it is of (0: filled at migration). */
export interface MonitoringModelAssignment extends ModelAssignments {
  revision: number;
  champion_activated_by: string | null;
}

const NO_ASSIGNMENT: MonitoringModelAssignment = { revision: 0, champion: null, shadow: null, rollout: null, champion_activated_by: null };

/**
 * Monitoring's copy of the scorer's model registry, kept from `model-registry`: every version's card
 * (stored once: a card never changes) and the current assignment, replaced only by a newer revision so
 * that a re-delivered or late change never brings an older state back.
 */
export class MonitoringModelRegistryRepository {
  /** Applies changes in the caller's transaction; returns how many moved the assignment forward. */
  async apply(tx: Queryable, changes: readonly ModelRegistryChange[]): Promise<number> {
    if (changes.length === 0) return 0;
    await tx.query(
      'monitoring_model_versions.insert',
      `INSERT INTO monitoring_model_versions (version, card, registered_at)
       SELECT * FROM unnest($1::text[], $2::jsonb[], $3::timestamptz[])
       ON CONFLICT (version) DO NOTHING`,
      [changes.map((c) => c.version), changes.map((c) => JSON.stringify(c.card)), changes.map((c) => c.registered_at)],
    );
    // The newest of the batch only: the others are older by construction.
    const newest = changes.reduce((a, b) => (b.revision > a.revision ? b : a));
    const { champion, shadow, rollout } = newest.assignments;
    const rows = await tx.query<{ revision: string }>(
      'monitoring_model_assignment.apply',
      `INSERT INTO monitoring_model_assignment (revision, champion, champion_activated_by, shadow, rollout_version, rollout_share, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (singleton) DO UPDATE SET
         revision = EXCLUDED.revision, champion = EXCLUDED.champion, champion_activated_by = EXCLUDED.champion_activated_by,
         shadow = EXCLUDED.shadow, rollout_version = EXCLUDED.rollout_version, rollout_share = EXCLUDED.rollout_share,
         changed_at = EXCLUDED.changed_at
       WHERE monitoring_model_assignment.revision < EXCLUDED.revision
       RETURNING revision`,
      [newest.revision, champion, newest.champion_activated_by, shadow, rollout?.version ?? null, rollout?.share ?? null, newest.occurred_at],
    );
    return rows.length;
  }

  /** Every version monitoring knows, newest name first. */
  async versions(db: Queryable): Promise<MonitoringModelVersionRow[]> {
    return db.query<MonitoringModelVersionRow>(
      'monitoring_model_versions.list',
      'SELECT version, card, registered_at FROM monitoring_model_versions ORDER BY version DESC',
    );
  }

  /** The versions that currently score (champion), shadow, and serve a share of customers (rollout). */
  async assignment(db: Queryable): Promise<MonitoringModelAssignment> {
    const [row] = await db.query<{
      revision: string;
      champion: string | null;
      champion_activated_by: string | null;
      shadow: string | null;
      rollout_version: string | null;
      rollout_share: number | null;
    }>(
      'monitoring_model_assignment.find',
      'SELECT revision, champion, champion_activated_by, shadow, rollout_version, rollout_share FROM monitoring_model_assignment',
    );
    if (!row) return NO_ASSIGNMENT;
    return {
      revision: Number(row.revision),
      champion: row.champion,
      champion_activated_by: row.champion_activated_by,
      shadow: row.shadow,
      rollout: row.rollout_version === null ? null : { version: row.rollout_version, share: Number(row.rollout_share) },
    };
  }
}
