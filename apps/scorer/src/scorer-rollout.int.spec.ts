import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { type CustomerFeaturesMessage, modelRegistryChangeSchema, modelRegistrySchema, type Prediction, predictionSchema, Topics } from '@churn/contracts';
import { AuditLogRepository, Database } from '@churn/db';
import { ModelVersionRepository, PredictionHistoryRepository } from '@churn/scorer-data';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { servedByRollout } from '@churn/scoring';
import type { RunningService } from '@churn/service-kit';
import { eventuallyEqual, expectProblem, metricSum, problemFields, rawProducer, signTestToken, testInfra, TopicProbe, uniqueId } from '@churn/testing';
import { aFeatureMessage, startScorer, temporaryRegistry } from './scorer-spec-support';

const SECRET = 'integration-test-secret-with-32-characters!';

/**
 * A gradual rollout on the real broker and Postgres: the scorer in-process serving a temporary
 * registry (the trained model as champion, as a second version of the same spec, and under a card of
 * another spec), the admin API driving the rollout, the `predictions` topic showing who served whom.
 */
describe('scorer gradual rollout on the real broker and Postgres', () => {
  let sut: RunningService;
  let probe: TopicProbe;
  let db: Database;
  let admin: string;
  const { dir: registryDir, active, second, variant } = temporaryRegistry();
  const versions = new ModelVersionRepository();

  const post = (path: string, body: unknown, token = admin) =>
    fetch(`${sut.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  /** Sends the messages and returns each one's prediction on `predictions`, in the order sent. */
  const scoreAll = async (messages: CustomerFeaturesMessage[]): Promise<Prediction[]> => {
    const producer = await rawProducer();
    await producer.send({ topic: Topics.customerFeatures, messages: messages.map((m) => ({ key: m.customer_id, value: JSON.stringify(m) })) });
    await producer.close();
    const ids = new Set(messages.map((m) => m.source_event_id));
    const found = await probe.waitFor(
      (m) => m.topic === Topics.predictions && m.value !== null && ids.has(JSON.parse(m.value).source_event_id),
      messages.length,
    );
    const byEvent = new Map(found.map((m) => predictionSchema.parse(JSON.parse(m.value!))).map((p) => [p.source_event_id, p]));
    assert.equal(byEvent.size, messages.length, 'one prediction per message');
    return messages.map((m) => byEvent.get(m.source_event_id)!);
  };

  before(async () => {
    probe = await TopicProbe.start([Topics.predictions, Topics.modelRegistry]);
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 2, applicationName: 'scorer-rollout-spec' },
      createLogger({ service: 'spec', level: 'silent' }),
      createMetricsRegistry('spec'),
    );
    sut = await startScorer({ MODEL_REGISTRY_DIR: registryDir, MODEL_POLL_INTERVAL_MS: '300', AUTH_JWT_SECRET: SECRET, EXPERIMENT_NAME: 'rollout-spec' });
    admin = await signTestToken(SECRET, ['admin'], { sub: 'lead@example.com' });
  });

  after(async () => {
    await sut?.close();
    await probe?.stop();
    // Leave the shared registry table as other specs expect it: the real active version, no rollout, no shadow.
    await db.transaction(async (tx) => {
      await versions.endRollout(tx);
      await versions.clearShadow(tx);
      await versions.makeChampion(tx, active, 'scorer-rollout-spec');
    });
    await db.close();
    fs.rmSync(registryDir, { recursive: true, force: true });
  });

  it('is an admin operation: 401 without a token, 403 without the admin role, 400 for a share outside 0–1', async () => {
    const noToken = await fetch(`${sut.url}/v1/models/${second}/rollout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"share":0.5}',
    });
    await expectProblem(noToken, 401, 'UNAUTHENTICATED');
    await expectProblem(await post(`/v1/models/${second}/rollout`, { share: 0.5 }, await signTestToken(SECRET, ['agent'])), 403, 'FORBIDDEN');
    assert.deepEqual(problemFields(await expectProblem(await post(`/v1/models/${second}/rollout`, { share: 1.5 }), 400, 'VALIDATION_FAILED')), ['share']);
    assert.deepEqual(
      problemFields(await expectProblem(await post('/v1/models/rollout/rollback', {}), 400, 'VALIDATION_FAILED')),
      ['reason'],
      'a rollback says why',
    );
    assert.equal((await versions.assignments(db)).rollout, null);
  });

  it('at share 0.5 serves each customer by its hash, the same version on every rescoring, on the predictions topic', async () => {
    const answer = await post(`/v1/models/${second}/rollout`, { share: 0.5, reason: 'first half' });
    assert.equal(answer.status, 200);
    assert.deepEqual(((await answer.json()) as { serving: unknown }).serving, { champion: active, shadow: null, rollout: { version: second, share: 0.5 } });
    const [entry] = await new AuditLogRepository().findBySubject(db, `model:${second}`);
    assert.equal(entry?.action, 'model.rollout');
    assert.equal(entry?.actor, 'lead@example.com');
    assert.deepEqual([(entry?.details as { share?: number }).share, (entry?.details as { reason?: string }).reason], [0.5, 'first half']);
    // The change is published on `model-registry` by the scorer's relay, with the whole assignment and the version's card.
    const [published] = await probe.waitFor(
      (m) =>
        m.topic === Topics.modelRegistry &&
        modelRegistryChangeSchema.parse(JSON.parse(m.value!)).kind === 'rollout_started' &&
        JSON.parse(m.value!).version === second,
    );
    const change = modelRegistryChangeSchema.parse(JSON.parse(published!.value!));
    assert.deepEqual(
      [change.assignments, change.actor, change.card['version']],
      [{ champion: active, shadow: null, rollout: { version: second, share: 0.5 } }, 'lead@example.com', second],
    );
    const list = modelRegistrySchema.parse(await (await fetch(`${sut.url}/v1/models`)).json());
    assert.deepEqual(list.rollout && { version: list.rollout.version, share: list.rollout.share, champion: list.rollout.champion }, {
      version: second,
      share: 0.5,
      champion: active,
    });
    const row = list.models.find((m) => m.version === second);
    assert.deepEqual([row?.role, row?.rollout_share, row?.serving_on_this_instance], ['rollout', 0.5, 'rollout']);

    const customers = Array.from({ length: 40 }, () => uniqueId('R'));
    const expected = (customer: string) => (servedByRollout(customer, 0.5) ? second : active);
    assert.ok(new Set(customers.map(expected)).size === 2, 'the customers fall on both sides');
    const rolledOutBefore = await metricSum(sut.url, 'scorer_predictions_total', { role: 'rollout', model_version: second });
    // Scored, then rescored with new events: the same customer, the same version.
    const first = await scoreAll(customers.map((c) => aFeatureMessage(c)));
    const again = await scoreAll(customers.map((c) => aFeatureMessage(c, { tenure: 3 })));
    for (const [i, customer] of customers.entries()) {
      assert.equal(first[i]!.model_version, expected(customer), customer);
      assert.equal(again[i]!.model_version, first[i]!.model_version, `${customer} keeps its model on rescoring`);
      // Served and acted on like the champion's: an experiment arm, top factors.
      assert.equal(first[i]!.experiment?.name, 'rollout-spec');
      assert.equal(first[i]!.top_factors.length, 3);
    }
    const servedByRolloutCount = customers.filter((c) => expected(c) === second).length;
    assert.equal(await metricSum(sut.url, 'scorer_predictions_total', { role: 'rollout', model_version: second }), rolledOutBefore + 2 * servedByRolloutCount);
    assert.equal(await metricSum(sut.url, 'scorer_rollout_share', { version: second }), 0.5);
    // Stored as served predictions, each with the version that made it.
    const rolledOutCustomer = customers.find((c) => expected(c) === second)!;
    const stored = await eventuallyEqual(
      'the rolled-out customer’s two predictions stored',
      async () => (await new PredictionHistoryRepository().forCustomer(db, rolledOutCustomer, { limit: 10 })).length,
      2,
      5000,
    );
    assert.equal(stored, 2);
    const [latest] = await new PredictionHistoryRepository().forCustomer(db, rolledOutCustomer, { limit: 1 });
    assert.deepEqual([latest?.role, latest?.model_version], ['champion', second]);
  });

  it('follows a share set by another instance within the poll interval', async () => {
    await db.transaction((tx) => versions.startRollout(tx, second, 0.9, 'other-instance'));
    assert.equal(
      await eventuallyEqual('the rollout share metric at 0.9', () => metricSum(sut.url, 'scorer_rollout_share', { version: second }), 0.9, 5000),
      0.9,
    );
  });

  it('refuses a rollout of a version of another spec: 409 SPEC_MISMATCH, audited as refused, nothing changed', async () => {
    const before = await versions.assignments(db);
    const response = await post(`/v1/models/${variant}/rollout`, { share: 0.1 });
    await expectProblem(response, 409, 'SPEC_MISMATCH');
    assert.deepEqual(await versions.assignments(db), before);
    const [entry] = await new AuditLogRepository().findBySubject(db, `model:${variant}`);
    assert.deepEqual([entry?.action, entry?.actor, (entry?.details as { code?: string }).code], ['model.rollout.refused', 'lead@example.com', 'SPEC_MISMATCH']);
    // Nor can the champion be rolled out beside itself.
    assert.equal((await post(`/v1/models/${active}/rollout`, { share: 0.1 })).status, 409);
  });

  it('rolls back in one call: every later prediction from the champion, audited with who and why', async () => {
    const rollback = await post('/v1/models/rollout/rollback', { reason: 'retention calls up 30 % in the rollout half' });
    assert.equal(rollback.status, 200);
    const body = (await rollback.json()) as { rolled_back: { version: string; share: number }; rolled_back_by: string; serving: { rollout: unknown } };
    assert.deepEqual(body.rolled_back, { version: second, share: 0.9 });
    assert.equal(body.rolled_back_by, 'lead@example.com');
    assert.equal(body.serving.rollout, null);
    const [entry] = await new AuditLogRepository().findBySubject(db, `model:${second}`);
    assert.equal(entry?.action, 'model.rollout.rollback');
    assert.equal(entry?.actor, 'lead@example.com');
    assert.deepEqual(entry?.details, {
      version: second,
      previous_share: 0.9,
      share: 0,
      champion: active,
      reason: 'retention calls up 30 % in the rollout half',
    });
    assert.equal((await versions.assignments(db)).rollout, null);
    assert.equal(await metricSum(sut.url, 'scorer_rollout_share'), 0);

    // Customers the rollout served at 0.9: the receiving instance swapped before answering.
    const customers = Array.from({ length: 200 }, () => uniqueId('B'))
      .filter((c) => servedByRollout(c, 0.9))
      .slice(0, 20);
    const predictions = await scoreAll(customers.map((c) => aFeatureMessage(c)));
    assert.deepEqual([...new Set(predictions.map((p) => p.model_version))], [active]);
    // Nothing left to roll back: answered, nothing changed.
    const none = await post('/v1/models/rollout/rollback', { reason: 'again' });
    assert.equal(((await none.json()) as { rolled_back: unknown }).rolled_back, null);
  });

  it('promotes at 100 %: the version becomes champion and serves everyone', async () => {
    assert.equal((await post(`/v1/models/${second}/rollout`, { share: 0.1 })).status, 200);
    const promoted = await post(`/v1/models/${second}/rollout`, { share: 1, reason: 'better on live outcomes' });
    assert.equal(promoted.status, 200);
    assert.deepEqual(await versions.assignments(db), { champion: second, shadow: null, rollout: null });
    const [entry] = await new AuditLogRepository().findBySubject(db, `model:${second}`);
    assert.equal(entry?.action, 'model.activate');
    const details = entry?.details as { previous_rollout?: unknown; share?: number; promoted_from_rollout?: boolean; reason?: string };
    assert.deepEqual(
      [details.previous_rollout, details.share, details.promoted_from_rollout, details.reason],
      [{ version: second, share: 0.1 }, 1, true, 'better on live outcomes'],
    );
    const predictions = await scoreAll(Array.from({ length: 10 }, () => aFeatureMessage(uniqueId('P'))));
    assert.deepEqual([...new Set(predictions.map((p) => p.model_version))], [second]);
  });
});
