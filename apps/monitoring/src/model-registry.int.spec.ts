import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deadLetterSchema, Topics } from '@churn/contracts';
import { Database } from '@churn/db';
import { TopicProducer } from '@churn/kafka';
import { MonitoringModelRegistryRepository } from '@churn/monitoring-data';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { ModelVersionRepository, type ModelAssignments } from '@churn/scorer-data';
import { TopicOutboxRelay, type RunningService } from '@churn/service-kit';
import { aModelRegistryChange, eventuallyWhere, publishRegistryChanges, testInfra, testKafka, TopicProbe, uniqueId } from '@churn/testing';
import { startMonitoring } from './monitoring-spec-fixtures';

const REPO = path.resolve(__dirname, '..', '..', '..');
const ACTIVE = fs.readFileSync(path.join(REPO, 'models', 'active'), 'utf8').trim();
const CARD = JSON.parse(fs.readFileSync(path.join(REPO, 'models', ACTIVE, 'model-card.json'), 'utf8')) as Record<string, unknown>;

/**
 * The registry reaching monitoring on the real broker and Postgres: changes made with the scorer's
 * registry repository (the code its admin API and `churn retrain` run) write `model-registry` messages
 * to the scorer's outbox in their transaction; the outbox relay the scorer runs publishes them; monitoring
 * keeps its own copy, never going back to an older revision, and dead-letters what it cannot read.
 */
describe('monitoring keeps its copy of the model registry from model-registry', () => {
  const logger = createLogger({ service: 'registry-spec', level: 'silent' });
  const versions = new ModelVersionRepository();
  const copy = new MonitoringModelRegistryRepository();
  const champion = uniqueId('registry-champion');
  const rollout = uniqueId('registry-rollout');
  let db: Database;
  let producer: TopicProducer;
  let relay: TopicOutboxRelay<typeof Topics.modelRegistry>;
  let probe: TopicProbe;
  let sut: RunningService;
  let previous: ModelAssignments;

  before(async () => {
    db = new Database({ url: testInfra().databaseUrl, poolSize: 2, applicationName: 'registry-spec' }, logger, createMetricsRegistry('registry-spec'));
    producer = new TopicProducer(testKafka(), logger, createMetricsRegistry('registry-spec-producer'));
    await producer.connect();
    relay = new TopicOutboxRelay(
      db,
      producer,
      {
        topic: Topics.modelRegistry,
        outbox: 'model_registry',
        metrics: {
          published: 'spec_registry_published_total',
          failures: 'spec_registry_relay_failures_total',
          waiting: 'spec_registry_waiting',
          oldestWaiting: 'spec_registry_oldest_waiting_seconds',
          passSeconds: 'spec_registry_relay_pass_seconds',
        },
        what: 'registry changes',
        intervalMs: 100,
        batch: 100,
        keepHours: 1,
      },
      logger,
      createMetricsRegistry('registry-spec-relay'),
    );
    probe = await TopicProbe.start([Topics.monitoringDlq]);
    sut = await startMonitoring({ MONITORING_REFRESH_INTERVAL_MS: '600000' });
    previous = await versions.assignments(db);
    relay.start();
  });

  after(async () => {
    // Leave the shared registry as the other specs expect it: its champion back, no rollout; published to monitoring too.
    if (db && previous) {
      await db.transaction(async (tx) => {
        await versions.endRollout(tx, 'registry-spec');
        if (previous.champion) await versions.makeChampion(tx, previous.champion, 'registry-spec');
      });
      if (sut) await untilCopyAt(await registryRevision());
    }
    await relay?.stop();
    await sut?.close();
    await probe?.stop();
    await producer?.disconnect();
    await db?.close();
  });

  const registryRevision = async () =>
    Number((await db.query<{ revision: string }>('spec.revision', 'SELECT revision FROM model_registry_revision'))[0]!.revision);
  const untilCopyAt = (revision: number) =>
    eventuallyWhere(
      `monitoring's copy at revision ${revision}`,
      () => copy.assignment(db),
      (a) => a.revision >= revision,
    );

  it('takes a registration, a champion switch and a rollout made in the scorer, with each version’s card', async () => {
    await db.transaction(async (tx) => {
      await versions.registerNew(
        tx,
        [champion, rollout].map((version) => ({ version, card: { ...CARD, version } })),
        'registry-spec',
      );
      await versions.makeChampion(tx, champion, 'lead@example.com');
    });
    const switched = await untilCopyAt(await registryRevision());
    assert.equal(switched.champion, champion);
    assert.equal(switched.champion_activated_by, 'lead@example.com');
    const cards = new Map((await copy.versions(db)).map((v) => [v.version, v.card]));
    assert.equal(cards.get(champion)?.['version'], champion);
    assert.equal(cards.get(rollout)?.['version'], rollout);

    await db.transaction((tx) => versions.startRollout(tx, rollout, 0.25, 'lead@example.com'));
    const rolled = await untilCopyAt(await registryRevision());
    assert.deepEqual([rolled.champion, rolled.rollout], [champion, { version: rollout, share: 0.25 }]);

    await db.transaction((tx) => versions.endRollout(tx, 'lead@example.com'));
    const ended = await untilCopyAt(await registryRevision());
    assert.deepEqual([ended.champion, ended.rollout], [champion, null]);
  });

  it('never applies an older revision over a newer one, and dead-letters a change it cannot read', async () => {
    const current = await copy.assignment(db);
    const stale = uniqueId('stale-model');
    const older = aModelRegistryChange(
      Math.max(1, current.revision - 1),
      stale,
      { ...CARD, version: stale },
      { champion: stale, shadow: stale, rollout: null },
    );
    const malformed = { ...aModelRegistryChange(current.revision + 1, stale, {}, { champion: stale, shadow: null, rollout: null }), revision: 'next' };
    // One partition: monitoring handles the older change before the malformed one reaches the dead letters.
    await publishRegistryChanges([older, malformed]);
    const [dead] = await probe.waitFor(
      (m) => m.topic === Topics.monitoringDlq && m.value !== null && deadLetterSchema.parse(JSON.parse(m.value)).source_topic === Topics.modelRegistry,
    );
    const letter = deadLetterSchema.parse(JSON.parse(dead!.value!));
    assert.match(letter.reason, /revision/);
    const after_ = await copy.assignment(db);
    assert.deepEqual(after_, current, 'the assignment stays at the newer revision');
    // A card is stored whatever the revision: it never changes after registration.
    assert.ok((await copy.versions(db)).some((v) => v.version === stale));
  });
});
