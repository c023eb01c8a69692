import { TopicOutboxRepository, type Queryable } from '@churn/db';
import type { ModelAssignments, ModelRegistryChange, ModelRegistryChangeKind, RolloutAssignment } from '@churn/contracts';

export type { ModelAssignments, RolloutAssignment } from '@churn/contracts';

export type ModelRole = 'registered' | 'champion' | 'shadow' | 'rollout' | 'retired';

export interface ModelVersionRow {
  version: string;
  role: ModelRole;
  card: Record<string, unknown>;
  registered_at: Date;
  activated_at: Date | null;
  activated_by: string | null;
  /** For the version under rollout: the share of live customers it serves (0–1, exclusive); else null. */
  rollout_share: number | null;
}

/** The Kafka key of every `model-registry` message: one key, one partition, the registry's order. */
const REGISTRY_MESSAGE_KEY = 'model-registry';

const COLUMNS = 'version, role, card, registered_at, activated_at, activated_by, rollout_share';

/**
 * The model registry's state: which versions exist and which one is champion, shadow or under rollout.
 * Every change runs in the caller's transaction, takes the registry revision's row lock first (changes
 * are serialised, revisions follow commit order) and writes its `model-registry` message to the outbox
 * in that transaction, so no change goes unpublished and nothing is published without its change.
 */
export class ModelVersionRepository {
  private readonly outbox = new TopicOutboxRepository('model_registry');

  /** Registers versions not known yet and returns the names that are new. Run it in a transaction. */
  async registerNew(tx: Queryable, versions: readonly { version: string; card: unknown }[], actor: string | null = null): Promise<Set<string>> {
    if (versions.length === 0) return new Set();
    await this.lockRevision(tx);
    const rows = await tx.query<{ version: string }>(
      'model_versions.register_new',
      `INSERT INTO model_versions (version, card)
       SELECT * FROM unnest($1::text[], $2::jsonb[])
       ON CONFLICT (version) DO NOTHING
       RETURNING version`,
      [versions.map((v) => v.version), versions.map((v) => JSON.stringify(v.card))],
    );
    for (const { version } of rows) await this.publish(tx, 'registered', version, actor);
    return new Set(rows.map((r) => r.version));
  }

  async list(db: Queryable): Promise<ModelVersionRow[]> {
    return db.query<ModelVersionRow>('model_versions.list', `SELECT ${COLUMNS} FROM model_versions ORDER BY version DESC`);
  }

  async find(db: Queryable, version: string): Promise<ModelVersionRow | null> {
    const rows = await db.query<ModelVersionRow>('model_versions.find', `SELECT ${COLUMNS} FROM model_versions WHERE version = $1`, [version]);
    return rows[0] ?? null;
  }

  /** The versions that currently score (champion), shadow, and serve a share of customers (rollout), if any. */
  async assignments(db: Queryable): Promise<ModelAssignments> {
    const rows = await db.query<{ version: string; role: ModelRole; rollout_share: number | null }>(
      'model_versions.assignments',
      "SELECT version, role, rollout_share FROM model_versions WHERE role IN ('champion', 'shadow', 'rollout') ORDER BY activated_at DESC NULLS LAST",
    );
    const rollout = rows.find((r) => r.role === 'rollout');
    return {
      champion: rows.find((r) => r.role === 'champion')?.version ?? null,
      shadow: rows.find((r) => r.role === 'shadow')?.version ?? null,
      rollout: rollout ? { version: rollout.version, share: Number(rollout.rollout_share) } : null,
    };
  }

  /**
   * Makes `version` the one champion (the previous champion goes back to registered) — run it in a
   * transaction with the audit record. The row lock serialises concurrent activations.
   */
  async makeChampion(tx: Queryable, version: string, actor: string): Promise<void> {
    await this.lockRevision(tx);
    await tx.query('model_versions.lock', 'SELECT version FROM model_versions WHERE role = $1 OR version = $2 FOR UPDATE', ['champion', version]);
    await tx.query('model_versions.demote_champion', "UPDATE model_versions SET role = 'registered' WHERE role = 'champion' AND version <> $1", [version]);
    await tx.query(
      'model_versions.promote',
      "UPDATE model_versions SET role = 'champion', rollout_share = NULL, activated_at = now(), activated_by = $2 WHERE version = $1",
      [version, actor],
    );
    await this.publish(tx, 'champion', version, actor);
  }

  /** Makes `version` the one shadow (a previous shadow goes back to registered). */
  async makeShadow(tx: Queryable, version: string, actor: string): Promise<void> {
    await this.lockRevision(tx);
    await tx.query('model_versions.lock', 'SELECT version FROM model_versions WHERE role = $1 OR version = $2 FOR UPDATE', ['shadow', version]);
    await tx.query('model_versions.demote_shadow', "UPDATE model_versions SET role = 'registered' WHERE role = 'shadow' AND version <> $1", [version]);
    await tx.query(
      'model_versions.shadow',
      "UPDATE model_versions SET role = 'shadow', rollout_share = NULL, activated_at = now(), activated_by = $2 WHERE version = $1",
      [version, actor],
    );
    await this.publish(tx, 'shadow', version, actor);
  }

  /** Stops shadow scoring. */
  async clearShadow(tx: Queryable, actor: string | null = null): Promise<number> {
    await this.lockRevision(tx);
    const rows = await tx.query<{ version: string }>(
      'model_versions.clear_shadow',
      "UPDATE model_versions SET role = 'registered' WHERE role = 'shadow' RETURNING version",
    );
    for (const { version } of rows) await this.publish(tx, 'shadow_cleared', version, actor);
    return rows.length;
  }

  /**
   * Makes `version` the one version under rollout at `share` (strictly between 0 and 1; a previous
   * rollout of another version goes back to registered). Run it in a transaction with the audit record.
   */
  async startRollout(tx: Queryable, version: string, share: number, actor: string): Promise<void> {
    await this.lockRevision(tx);
    await tx.query('model_versions.lock', 'SELECT version FROM model_versions WHERE role = $1 OR version = $2 FOR UPDATE', ['rollout', version]);
    await tx.query(
      'model_versions.end_other_rollout',
      "UPDATE model_versions SET role = 'registered', rollout_share = NULL WHERE role = 'rollout' AND version <> $1",
      [version],
    );
    await tx.query(
      'model_versions.rollout',
      "UPDATE model_versions SET role = 'rollout', rollout_share = $2, activated_at = now(), activated_by = $3 WHERE version = $1",
      [version, share, actor],
    );
    await this.publish(tx, 'rollout_started', version, actor);
  }

  /** Ends the rollout: its version goes back to registered and the champion serves everyone. Returns what was rolled out. */
  async endRollout(tx: Queryable, actor: string | null = null): Promise<RolloutAssignment | null> {
    await this.lockRevision(tx);
    const rows = await tx.query<{ version: string; share: number }>(
      'model_versions.end_rollout',
      `UPDATE model_versions m SET role = 'registered', rollout_share = NULL
         FROM (SELECT version, rollout_share FROM model_versions WHERE role = 'rollout' FOR UPDATE) before
        WHERE m.version = before.version
        RETURNING m.version, before.rollout_share AS share`,
    );
    if (!rows[0]) return null;
    await this.publish(tx, 'rollout_ended', rows[0].version, actor);
    return { version: rows[0].version, share: Number(rows[0].share) };
  }

  /** Waits for the registry revision's row lock: taken first by every change, so changes never deadlock on it. */
  private async lockRevision(tx: Queryable): Promise<void> {
    await tx.query('model_registry_revision.lock', 'SELECT revision FROM model_registry_revision FOR UPDATE');
  }

  /**
   * Bumps the revision and writes the change, with the assignment it leaves and the version's card, to
   * the outbox. A version that is not registered changed nothing (its UPDATE matched no row): no message.
   */
  private async publish(tx: Queryable, kind: ModelRegistryChangeKind, version: string, actor: string | null): Promise<void> {
    const [row] = await tx.query<ModelVersionRow>('model_versions.find', `SELECT ${COLUMNS} FROM model_versions WHERE version = $1`, [version]);
    if (!row) return;
    const [bumped] = await tx.query<{ revision: string }>(
      'model_registry_revision.bump',
      'UPDATE model_registry_revision SET revision = revision + 1 RETURNING revision',
    );
    const revision = Number(bumped!.revision);
    const [champion] = await tx.query<{ activated_by: string | null }>(
      'model_versions.champion_activated_by',
      "SELECT activated_by FROM model_versions WHERE role = 'champion'",
    );
    const change: ModelRegistryChange = {
      schema_version: 1,
      revision,
      kind,
      version,
      card: row.card,
      registered_at: row.registered_at.toISOString(),
      assignments: await this.assignments(tx),
      champion_activated_by: champion?.activated_by ?? null,
      actor,
      occurred_at: new Date().toISOString(),
    };
    await this.outbox.enqueue(tx, [{ messageId: 'model-registry:' + revision, customerId: REGISTRY_MESSAGE_KEY, payload: change }]);
  }
}
