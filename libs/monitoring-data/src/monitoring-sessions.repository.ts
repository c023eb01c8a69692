import type { Queryable } from '@churn/db';

/** A signed-in person's session as stored (the id itself is never stored: its sha256 is). */
export interface SessionRow {
  readonly session_hash: string;
  readonly subject: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly roles: string[];
  readonly csrf_token: string;
  readonly created_at: Date;
  readonly last_seen_at: Date;
  readonly expires_at: Date;
}

/** A sign-in between the redirect to the OpenID provider and its callback. */
export interface PendingSignInRow {
  readonly state: string;
  readonly code_verifier: string;
  readonly nonce: string;
  readonly return_to: string;
  readonly expires_at: Date;
}

/** Monitoring's sessions and sign-ins under way (`monitoring_sessions`, `monitoring_sign_ins`). */
export class MonitoringSessionsRepository {
  async savePendingSignIn(db: Queryable, row: PendingSignInRow): Promise<void> {
    await db.query(
      'monitoring_sessions.save_sign_in',
      `INSERT INTO monitoring_sign_ins (state, code_verifier, nonce, return_to, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [row.state, row.code_verifier, row.nonce, row.return_to, row.expires_at],
    );
  }

  /** The sign-in of `state` if it has not expired, deleted in the same statement (a callback is used once). */
  async takePendingSignIn(db: Queryable, state: string, now: Date): Promise<PendingSignInRow | null> {
    const rows = await db.query<PendingSignInRow>('monitoring_sessions.take_sign_in', `DELETE FROM monitoring_sign_ins WHERE state = $1 RETURNING *`, [state]);
    const row = rows[0];
    return row && row.expires_at > now ? row : null;
  }

  async create(db: Queryable, row: SessionRow): Promise<void> {
    await db.query(
      'monitoring_sessions.create',
      `INSERT INTO monitoring_sessions (session_hash, subject, name, email, roles, csrf_token, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [row.session_hash, row.subject, row.name, row.email, row.roles, row.csrf_token, row.created_at, row.last_seen_at, row.expires_at],
    );
  }

  /**
   * The live session of `hash` — before its absolute expiry and seen within `idleSeconds` — with
   * `last_seen_at` moved to `now`; null when there is none (unknown, signed out, expired or idle).
   */
  async touch(db: Queryable, hash: string, now: Date, idleSeconds: number): Promise<SessionRow | null> {
    const rows = await db.query<SessionRow>(
      'monitoring_sessions.touch',
      `UPDATE monitoring_sessions SET last_seen_at = $2
        WHERE session_hash = $1 AND expires_at > $2 AND last_seen_at > $2::timestamptz - $3::float8 * interval '1 second'
        RETURNING *`,
      [hash, now, idleSeconds],
    );
    return rows[0] ?? null;
  }

  /** Deletes the session of `hash`; whether there was one. */
  async delete(db: Queryable, hash: string): Promise<boolean> {
    const rows = await db.query('monitoring_sessions.delete', `DELETE FROM monitoring_sessions WHERE session_hash = $1 RETURNING 1`, [hash]);
    return rows.length > 0;
  }

  /** Deletes ended sessions and abandoned sign-ins; how many sessions went. */
  async deleteEnded(db: Queryable, now: Date, idleSeconds: number): Promise<number> {
    await db.query('monitoring_sessions.delete_stale_sign_ins', `DELETE FROM monitoring_sign_ins WHERE expires_at <= $1`, [now]);
    const rows = await db.query(
      'monitoring_sessions.delete_ended',
      `DELETE FROM monitoring_sessions WHERE expires_at <= $1 OR last_seen_at <= $1::timestamptz - $2::float8 * interval '1 second' RETURNING 1`,
      [now, idleSeconds],
    );
    return rows.length;
  }

  async countLive(db: Queryable, now: Date, idleSeconds: number): Promise<number> {
    const rows = await db.query<{ n: string }>(
      'monitoring_sessions.count_live',
      `SELECT count(*) AS n FROM monitoring_sessions WHERE expires_at > $1 AND last_seen_at > $1::timestamptz - $2::float8 * interval '1 second'`,
      [now, idleSeconds],
    );
    return Number(rows[0]?.n ?? 0);
  }
}
