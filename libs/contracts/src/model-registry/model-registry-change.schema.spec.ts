import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelRegistryChangeSchema } from './model-registry-change.schema';

const change = {
  schema_version: 1,
  revision: 7,
  kind: 'rollout_started',
  version: 'v2',
  card: { version: 'v2', metrics: { roc_auc: 0.84 } },
  registered_at: '2026-03-10T12:00:00.000Z',
  assignments: { champion: 'v1', shadow: null, rollout: { version: 'v2', share: 0.25 } },
  champion_activated_by: 'scorer:startup',
  actor: 'ops@example.com',
  occurred_at: '2026-03-10T12:05:00.000Z',
};

describe('modelRegistryChangeSchema', () => {
  it('accepts a change with the whole assignment and the version card', () => {
    assert.equal(modelRegistryChangeSchema.safeParse(change).success, true);
    assert.equal(
      modelRegistryChangeSchema.safeParse({ ...change, kind: 'rollout_ended', assignments: { champion: 'v1', shadow: null, rollout: null } }).success,
      true,
    );
  });

  it('names the field it refuses', () => {
    for (const [bad, field] of [
      [{ revision: 0 }, 'revision'],
      [{ kind: 'deleted' }, 'kind'],
      [{ card: 'v2' }, 'card'],
      [{ assignments: { champion: 'v1', shadow: null, rollout: { version: 'v2', share: 1 } } }, 'assignments'],
      [{ occurred_at: 'now' }, 'occurred_at'],
    ] as const) {
      const result = modelRegistryChangeSchema.safeParse({ ...change, ...bad });
      assert.equal(result.success, false, JSON.stringify(bad));
      assert.equal(String(result.error?.issues[0]?.path[0]), field);
    }
  });
});
