import type { Queryable } from '../database';

export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly details?: Record<string, unknown>;
}

export interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

/** Who did what, and when: written in the transaction of the change it records. */
export class AuditLogRepository {
  async record(tx: Queryable, entry: AuditEntry): Promise<void> {
    await tx.query('audit_log.record', 'INSERT INTO audit_log (actor, action, subject, details) VALUES ($1, $2, $3, $4::jsonb)', [
      entry.actor,
      entry.action,
      entry.subject,
      JSON.stringify(entry.details ?? {}),
    ]);
  }

  async findBySubject(db: Queryable, subject: string, limit = 100): Promise<AuditRow[]> {
    return db.query<AuditRow>(
      'audit_log.find_by_subject',
      'SELECT id, at, actor, action, subject, details FROM audit_log WHERE subject = $1 ORDER BY id DESC LIMIT $2',
      [subject, limit],
    );
  }
}
