import type { Queryable } from '../database';

export type ModelRole = 'registered' | 'champion' | 'shadow' | 'retired';

export interface ModelVersionRow {
  version: string;
  role: ModelRole;
  card: Record<string, unknown>;
  registered_at: Date;
  activated_at: Date | null;
  activated_by: string | null;
}

/** The model registry's state: which versions exist and which one is champion or shadow. */
export class ModelVersionRepository {
  /** Registers versions not known yet and returns the names that are new. */
  async registerNew(db: Queryable, versions: readonly { version: string; card: unknown }[]): Promise<Set<string>> {
    if (versions.length === 0) return new Set();
    const rows = await db.query<{ version: string }>(
      'model_versions.register_new',
      `INSERT INTO model_versions (version, card)
       SELECT * FROM unnest($1::text[], $2::jsonb[])
       ON CONFLICT (version) DO NOTHING
       RETURNING version`,
      [versions.map((v) => v.version), versions.map((v) => JSON.stringify(v.card))],
    );
    return new Set(rows.map((r) => r.version));
  }

  async list(db: Queryable): Promise<ModelVersionRow[]> {
    return db.query<ModelVersionRow>(
      'model_versions.list',
      'SELECT version, role, card, registered_at, activated_at, activated_by FROM model_versions ORDER BY version DESC',
    );
  }

  async find(db: Queryable, version: string): Promise<ModelVersionRow | null> {
    const rows = await db.query<ModelVersionRow>(
      'model_versions.find',
      'SELECT version, role, card, registered_at, activated_at, activated_by FROM model_versions WHERE version = $1',
      [version],
    );
    return rows[0] ?? null;
  }

  /** The versions that currently score (champion) and shadow, if any. */
  async assignments(db: Queryable): Promise<{ champion: string | null; shadow: string | null }> {
    const rows = await db.query<{ version: string; role: ModelRole }>(
      'model_versions.assignments',
      "SELECT version, role FROM model_versions WHERE role IN ('champion', 'shadow') ORDER BY activated_at DESC NULLS LAST",
    );
    return {
      champion: rows.find((r) => r.role === 'champion')?.version ?? null,
      shadow: rows.find((r) => r.role === 'shadow')?.version ?? null,
    };
  }

  /**
   * Makes `version` the one champion (the previous champion goes back to registered) — run it in a
   * transaction with the audit record. The row lock serialises concurrent activations.
   */
  async makeChampion(tx: Queryable, version: string, actor: string): Promise<void> {
    await tx.query('model_versions.lock', 'SELECT version FROM model_versions WHERE role = $1 OR version = $2 FOR UPDATE', ['champion', version]);
    await tx.query('model_versions.demote_champion', "UPDATE model_versions SET role = 'registered' WHERE role = 'champion' AND version <> $1", [version]);
    await tx.query(
      'model_versions.promote',
      "UPDATE model_versions SET role = 'champion', activated_at = now(), activated_by = $2 WHERE version = $1",
      [version, actor],
    );
  }

  /** Makes `version` the one shadow (a previous shadow goes back to registered). */
  async makeShadow(tx: Queryable, version: string, actor: string): Promise<void> {
    await tx.query('model_versions.lock', 'SELECT version FROM model_versions WHERE role = $1 OR version = $2 FOR UPDATE', ['shadow', version]);
    await tx.query('model_versions.demote_shadow', "UPDATE model_versions SET role = 'registered' WHERE role = 'shadow' AND version <> $1", [version]);
    await tx.query(
      'model_versions.shadow',
      "UPDATE model_versions SET role = 'shadow', activated_at = now(), activated_by = $2 WHERE version = $1",
      [version, actor],
    );
  }

  /** Stops shadow scoring. */
  async clearShadow(tx: Queryable): Promise<number> {
    const rows = await tx.query<{ version: string }>(
      'model_versions.clear_shadow',
      "UPDATE model_versions SET role = 'registered' WHERE role = 'shadow' RETURNING version",
    );
    return rows.length;
  }
}
