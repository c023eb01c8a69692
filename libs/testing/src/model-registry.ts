import type { QueryResultRow } from 'pg';
import { Topics, type ModelAssignments, type ModelRegistryChange } from '@churn/contracts';
import { eventuallyWhere } from './eventually';
import { rawProducer } from './topic-probe';

/** What these helpers need of a database: `@churn/db`'s Database or a transaction. */
interface SpecQueryable {
  query<T extends QueryResultRow>(name: string, text: string, params?: readonly unknown[]): Promise<T[]>;
}

/** A registry change as the scorer publishes it on `model-registry`: `version` registered, the given assignment after it. */
export function aModelRegistryChange(
  revision: number,
  version: string,
  card: Record<string, unknown>,
  assignments: ModelAssignments,
  overrides: Partial<ModelRegistryChange> = {},
): ModelRegistryChange {
  const now = new Date().toISOString();
  return {
    schema_version: 1,
    revision,
    kind: 'registered',
    version,
    card,
    registered_at: now,
    assignments,
    champion_activated_by: assignments.champion === null ? null : 'registry-spec',
    actor: 'registry-spec',
    occurred_at: now,
    ...overrides,
  };
}

/**
 * The next `count` registry revisions, taken from the scorer's own counter: a spec's changes then order
 * with the scorer's (of the specs sharing the stack) as the scorer's own changes do. Returns the first.
 */
export async function nextRegistryRevisions(db: SpecQueryable, count = 1): Promise<number> {
  const [row] = await db.query<{ revision: string }>(
    'spec.model_registry_revision',
    'UPDATE model_registry_revision SET revision = revision + $1 RETURNING revision',
    [count],
  );
  return Number(row!.revision) - count + 1;
}

/** Publishes registry changes on `model-registry` as the scorer's relay does (one key, one partition). */
export async function publishRegistryChanges(changes: readonly unknown[]): Promise<void> {
  const producer = await rawProducer();
  await producer.send({ topic: Topics.modelRegistry, messages: changes.map((c) => ({ key: 'model-registry', value: JSON.stringify(c) })) });
  await producer.close();
}

/**
 * Gets the registry to monitoring the way production does: one `registered` change per card, carrying
 * `assignments` and `championActivatedBy`, at fresh revisions, published on `model-registry`; resolves
 * with the last revision once monitoring has applied it (at once with `wait: false`: monitoring is not running yet).
 */
export async function publishRegistry(
  db: SpecQueryable,
  cards: readonly { version: string; card: Record<string, unknown> }[],
  assignments: ModelAssignments,
  championActivatedBy: string | null = assignments.champion === null ? null : 'registry-spec',
  { wait = true }: { wait?: boolean } = {},
): Promise<number> {
  const first = await nextRegistryRevisions(db, cards.length);
  const changes = cards.map((c, i) => aModelRegistryChange(first + i, c.version, c.card, assignments, { champion_activated_by: championActivatedBy }));
  await publishRegistryChanges(changes);
  const last = first + cards.length - 1;
  if (wait) await untilMonitoringRegistryRevision(db, last);
  return last;
}

/** Resolves once monitoring's copy of the registry is at `revision` or newer. */
export async function untilMonitoringRegistryRevision(db: SpecQueryable, revision: number): Promise<void> {
  await eventuallyWhere(
    `monitoring's registry at revision ${revision}`,
    async () =>
      Number((await db.query<{ revision: string }>('spec.monitoring_model_assignment', 'SELECT revision FROM monitoring_model_assignment'))[0]?.revision ?? -1),
    (applied) => applied >= revision,
  );
}

/** Monitoring's current assignment (its copy), to restore after a spec. */
export async function monitoringAssignments(db: SpecQueryable): Promise<ModelAssignments> {
  const [row] = await db.query<{ champion: string | null; shadow: string | null; rollout_version: string | null; rollout_share: number | null }>(
    'spec.monitoring_model_assignment',
    'SELECT champion, shadow, rollout_version, rollout_share FROM monitoring_model_assignment',
  );
  return {
    champion: row?.champion ?? null,
    shadow: row?.shadow ?? null,
    rollout: row?.rollout_version ? { version: row.rollout_version, share: Number(row.rollout_share) } : null,
  };
}

/** Registers versions with monitoring (their cards on `model-registry`), the assignment left as monitoring has it. */
export async function publishRegistered(db: SpecQueryable, cards: readonly { version: string; card: Record<string, unknown> }[]): Promise<number> {
  const [row] = await db.query<{ champion_activated_by: string | null }>(
    'spec.monitoring_model_assignment',
    'SELECT champion_activated_by FROM monitoring_model_assignment',
  );
  return publishRegistry(db, cards, await monitoringAssignments(db), row?.champion_activated_by ?? null);
}

/** Resolves once monitoring has applied every registry change so far (the scorer's and the specs'). */
export async function untilMonitoringHasRegistry(db: SpecQueryable): Promise<void> {
  const [row] = await db.query<{ revision: string }>('spec.model_registry_revision', 'SELECT revision FROM model_registry_revision');
  await untilMonitoringRegistryRevision(db, Number(row?.revision ?? 0));
}
