import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { deadLetterSchema, predictionSchema, Topics, type CustomerFeaturesMessage, type CustomerFeaturesMessageV2, type Prediction } from '@churn/contracts';
import { AuditLogRepository, Database } from '@churn/db';
import { ModelVersionRepository, PredictionHistoryRepository } from '@churn/scorer-data';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { featureColumns, loadFeatureSpec, specHash, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { shortHash } from '@churn/scoring';
import type { RunningService } from '@churn/service-kit';
import {
  aFeatureVector,
  assertAgentOrHigher,
  eventuallyEqual,
  expectProblem,
  metricSum,
  problemFields,
  rawProducer,
  testInfra,
  TopicProbe,
  uniqueId,
} from '@churn/testing';
import { aFeatureMessage, startScorer, telcoFeatures, telcoVariantSpec, temporaryRegistry } from './scorer-spec-support';

const SECRET = 'integration-test-secret-with-32-characters!';
const features = telcoFeatures;

const behaviour = { payment_failures_30d: 1, payment_failures_90d: 2, support_tickets_30d: 0, support_tickets_90d: 1, usage_trend: -0.25 };
const telcoSpec = loadFeatureSpec(TELCO_SPEC_PATH);
const TELCO_HASH = specHash(telcoSpec);
const variantSpec = telcoVariantSpec();

/** Version 2, as ingest publishes it: every feature of the spec, in its order, and the spec's hash. */
function aV2Message(customerId: string, hash: string): CustomerFeaturesMessageV2 {
  const values: Record<string, string | number | null> = { ...features, ...behaviour };
  return aFeatureVector(customerId, hash, Object.fromEntries(featureColumns(telcoSpec).map((c) => [c.name, values[c.name] ?? null])), '2024-03-10T09:00:00Z');
}

/**
 * The scorer in-process against the real broker and Postgres, serving a temporary registry holding
 * the trained model twice (under its own name and as a second version) so that shadow scoring and a
 * hot swap can be exercised.
 */
describe('scorer service on the real broker and Postgres', () => {
  let sut: RunningService;
  let probe: TopicProbe;
  let db: Database;
  // The trained model as active, as a second version, and under a card of another spec (same inputs, another hash).
  const { dir: registryDir, active, second, variant } = temporaryRegistry();
  const send = async (messages: CustomerFeaturesMessage[]) => {
    const producer = await rawProducer();
    await producer.send({ topic: Topics.customerFeatures, messages: messages.map((m) => ({ key: m.customer_id, value: JSON.stringify(m) })) });
    await producer.close();
  };
  const predictionsOf = (topic: string, ids: Set<string>) =>
    probe.messages
      .filter((m) => m.topic === topic && m.value && ids.has(JSON.parse(m.value).source_event_id))
      .map((m) => predictionSchema.parse(JSON.parse(m.value!)));
  const token = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));

  before(async () => {
    probe = await TopicProbe.start([Topics.predictions, Topics.predictionsShadow, Topics.customerFeaturesDlq]);
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 2, applicationName: 'scorer-spec' },
      createLogger({ service: 'spec', level: 'silent' }),
      createMetricsRegistry('spec'),
    );
    sut = await startScorer({ MODEL_REGISTRY_DIR: registryDir, MODEL_POLL_INTERVAL_MS: '300', AUTH_JWT_SECRET: SECRET, EXPERIMENT_NAME: 'spec-experiment' });
  });

  after(async () => {
    await sut?.close();
    await probe?.stop();
    // Leave the shared registry table as other specs expect it: the real active version, no shadow.
    await db.transaction(async (tx) => {
      await new ModelVersionRepository().clearShadow(tx);
      await new ModelVersionRepository().makeChampion(tx, active, 'scorer-spec');
    });
    await db.close();
    fs.rmSync(registryDir, { recursive: true, force: true });
  });

  it('scores a batch of feature messages, publishes and stores each with its feature vector, once', async () => {
    const customers = [uniqueId('C'), uniqueId('C'), uniqueId('C')];
    const messages = customers.map((c, i) => aFeatureMessage(c, { tenure: 2 + 30 * i }));
    await send(messages);
    const ids = new Set(messages.map((m) => m.source_event_id));
    await probe.waitFor((m) => m.topic === Topics.predictions && m.value !== null && ids.has(JSON.parse(m.value).source_event_id), 3);
    const published = predictionsOf(Topics.predictions, ids);
    const first = published.find((p) => p.customer_id === customers[0])!;
    assert.equal(first.model_version, active);
    assert.equal(first.placeholder, undefined);
    assert.equal(first.top_factors.length, 3);
    assert.equal(first.risk_score, Math.round(first.churn_probability * 100));
    assert.equal(first.revenue_at_risk, 966);
    assert.equal(first.experiment?.name, 'spec-experiment');
    assert.ok(first.churn_probability > published.find((p) => p.customer_id === customers[2])!.churn_probability, 'longer tenure, lower risk');
    await eventuallyEqual(
      'the first prediction stored',
      async () => (await new PredictionHistoryRepository().forCustomer(db, customers[0]!, { limit: 10 })).length,
      1,
      5000,
    );
    const [row] = await new PredictionHistoryRepository().forCustomer(db, customers[0]!, { limit: 10 });
    assert.deepEqual(row!.features, features);
    assert.equal(row!.prediction_id, first.prediction_id);
    // The message carries the vector it stores: monitoring's drift and cohorts read it from there.
    assert.deepEqual(first.features, row!.features);
    // The same history over HTTP: a customer's predictions and features are for agents (and admins) only.
    const history = await assertAgentOrHigher(`${sut.url}/v1/customers/${customers[0]}/predictions`, SECRET);
    const answer = (await history.json()) as { customer_id: string; predictions: { prediction_id: string; features: unknown }[] };
    assert.equal(answer.customer_id, customers[0]);
    assert.equal(answer.predictions[0]?.prediction_id, first.prediction_id);
    assert.deepEqual(answer.predictions[0]?.features, features);

    // Redelivery of the same message: no second row, no second message.
    await send([messages[0]!]);
    const marker = aFeatureMessage(customers[0]!, { tenure: 3 });
    await send([marker]);
    await probe.waitFor((m) => m.topic === Topics.predictions && m.value !== null && JSON.parse(m.value).source_event_id === marker.source_event_id);
    assert.equal(predictionsOf(Topics.predictions, new Set([messages[0]!.source_event_id])).length, 1);
    // Published before COMMIT (a crash re-delivers): the row may land a moment after the message.
    assert.equal(
      await eventuallyEqual(
        'the second prediction stored',
        async () => (await new PredictionHistoryRepository().forCustomer(db, customers[0]!, { limit: 10 })).length,
        2,
        5000,
      ),
      2,
    );
  });

  it('dead-letters an unseen category and an out-of-range number with the field named, and keeps scoring', async () => {
    const customer = uniqueId('C');
    const good = aFeatureMessage(customer);
    await send([aFeatureMessage(customer, { Contract: 'Monthly' }), aFeatureMessage(customer, { tenure: 900 }), good]);
    const letters = await probe.waitFor((m) => m.topic === Topics.customerFeaturesDlq && m.key === customer, 2);
    const reasons = letters
      .map((m) => deadLetterSchema.parse(JSON.parse(m.value!)))
      .map((r) => `${r.error_code}: ${r.reason}`)
      .sort();
    assert.match(reasons[0]!, /^FEATURES_INVALID: .*Contract: unseen category "Monthly"/);
    assert.match(reasons[1]!, /^FEATURES_INVALID: .*tenure: 900 is out of range/);
    await probe.waitFor((m) => m.topic === Topics.predictions && m.value !== null && JSON.parse(m.value).source_event_id === good.source_event_id);
  });

  it('scores a version 2 message of the Telco spec exactly as its version 1 twin', async () => {
    const v1 = { ...aFeatureMessage(uniqueId('C')), behaviour };
    const v2 = aV2Message(uniqueId('C'), TELCO_HASH);
    await send([v1, v2]);
    const ids = new Set([v1.source_event_id, v2.source_event_id]);
    await probe.waitFor((m) => m.topic === Topics.predictions && m.value !== null && ids.has(JSON.parse(m.value).source_event_id), 2);
    // What differs by construction: the ids, the time, and the experiment arm (drawn from the customer id).
    const scoreOf = (message: CustomerFeaturesMessage) => {
      const [prediction] = predictionsOf(Topics.predictions, new Set([message.source_event_id]));
      const { prediction_id: _p, customer_id: _c, source_event_id: _s, scored_at: _t, experiment: _e, ...score } = prediction!;
      return score;
    };
    assert.deepEqual(scoreOf(v2), scoreOf(v1));
    const stored = async (customer: string) => (await new PredictionHistoryRepository().forCustomer(db, customer, { limit: 1 }))[0]?.features;
    await eventuallyEqual('v2’s prediction stored', async () => (await stored(v2.customer_id)) !== undefined, true, 5000);
    assert.deepEqual(await stored(v2.customer_id), features);
    assert.deepEqual(await stored(v1.customer_id), features);
  });

  it('dead-letters a version 2 message of another spec with SPEC_MISMATCH naming both specs, and never scores it', async () => {
    const customer = uniqueId('C');
    const mismatch = await metricSum(sut.url, 'scorer_spec_mismatch_total', { role: 'champion', source: 'stream' });
    // The same values under another spec's hash: refused on the hash alone.
    const other = aV2Message(customer, variantSpec.hash);
    const good = aFeatureMessage(customer);
    await send([other, good]);
    const [letter] = await probe.waitFor((m) => m.topic === Topics.customerFeaturesDlq && m.key === customer);
    const dead = deadLetterSchema.parse(JSON.parse(letter!.value!));
    assert.equal(dead.error_code, 'SPEC_MISMATCH');
    assert.equal(
      dead.reason,
      `vector of spec telco-variant (${shortHash(variantSpec.hash)}), model ${active} reads spec telco (${shortHash(TELCO_HASH)}): not scored`,
    );
    // One partition per customer: once the next message is scored, the refused one has been handled.
    await probe.waitFor((m) => m.topic === Topics.predictions && m.value !== null && JSON.parse(m.value).source_event_id === good.source_event_id);
    const rows = await eventuallyEqual(
      'the prediction stored',
      async () => (await new PredictionHistoryRepository().forCustomer(db, customer, { limit: 10 })).length,
      1,
      5000,
    );
    assert.equal(rows, 1, "only the message of the champion's spec is stored");
    assert.equal(predictionsOf(Topics.predictions, new Set([other.source_event_id])).length, 0);
    assert.equal(await metricSum(sut.url, 'scorer_spec_mismatch_total', { role: 'champion', source: 'stream' }), mismatch + 1);
  });

  it('refuses to make a version of another spec champion or shadow: 409 SPEC_MISMATCH, audited as refused, nothing changed', async () => {
    const admin = await token({ sub: 'ops@example.com', roles: ['admin'] });
    const before = await new ModelVersionRepository().assignments(db);
    for (const action of ['activate', 'shadow']) {
      const response = await fetch(`${sut.url}/v1/models/${variant}/${action}`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
      const body = await expectProblem(response, 409, 'SPEC_MISMATCH');
      assert.equal(
        body.detail,
        `model ${variant} was trained on spec telco-variant (${shortHash(variantSpec.hash)}); this scorer runs spec telco (${shortHash(TELCO_HASH)}) (FEATURE_SPEC_FILE)`,
      );
    }
    assert.deepEqual(await new ModelVersionRepository().assignments(db), before);
    const [shadowEntry, activateEntry] = await new AuditLogRepository().findBySubject(db, `model:${variant}`);
    assert.deepEqual([activateEntry?.action, shadowEntry?.action], ['model.activate.refused', 'model.shadow.refused']);
    assert.equal(activateEntry?.actor, 'ops@example.com');
    assert.equal((shadowEntry?.details as { code?: string } | undefined)?.code, 'SPEC_MISMATCH');
    const list = (await (await fetch(`${sut.url}/v1/models`)).json()) as {
      models: { version: string; role: string; serving_on_this_instance: string | null }[];
    };
    assert.equal(list.models.find((m) => m.version === variant)?.role, 'registered');
    assert.equal(list.models.find((m) => m.version === active)?.serving_on_this_instance, 'champion');
    assert.equal(await metricSum(sut.url, 'scorer_spec_mismatch_total', { source: 'api' }), 2);
  });

  it('answers POST /v1/predict with an explanation, and 400 naming the field', async () => {
    const ok = await fetch(`${sut.url}/v1/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customer_id: 'C-http', features }),
    });
    assert.equal(ok.status, 200);
    const body = (await ok.json()) as Prediction & { contributions: Record<string, number>; baseline: number; explanation_path: string };
    assert.equal(body.top_factors.length, 3);
    // The calibrated logistic regression passes the load-time additivity check: no chain row is evaluated.
    assert.equal(body.explanation_path, 'additive_logit');
    const sum = Object.values(body.contributions).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - (body.churn_probability - body.baseline)) < 1e-6);
    const bad = await fetch(`${sut.url}/v1/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ features: { ...features, InternetService: 'Satellite', tenure: undefined } }),
    });
    const problem = await expectProblem(bad, 400, 'VALIDATION_FAILED');
    assert.deepEqual(problemFields(problem), ['features.tenure', 'features.InternetService']);
    const docs = await fetch(`${sut.url}/docs/json`);
    assert.equal(docs.status, 200);
    assert.ok(((await docs.json()) as { paths: Record<string, unknown> }).paths['/v1/predict/batch']);
  });

  it('scores a JSON or CSV batch and streams the rows back in order', async () => {
    const json = await fetch(`${sut.url}/v1/predict/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { customer_id: 'A', features },
        { customer_id: 'B', features: { ...features, Contract: 'Two year' } },
      ]),
    });
    assert.equal(json.status, 200);
    const rows = (await json.json()) as Prediction[];
    assert.deepEqual(
      rows.map((r) => r.customer_id),
      ['A', 'B'],
    );
    assert.ok(rows[0]!.churn_probability > rows[1]!.churn_probability);
    const header = Object.keys(features).join(',');
    const line = (id: string, tenure: string, total: string) => `${id},${Object.values({ ...features, tenure, TotalCharges: total }).join(',')}`;
    const csv = await fetch(`${sut.url}/v1/predict/batch?explain=false`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: `customerID,${header}\n${line('X', '1', ' ')}\n${line('Y', '70', '5000')}\n`,
    });
    assert.equal(csv.status, 200);
    const lines = (await csv.text()).trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[1]!, /^X,0\.\d+,\d+,(low|medium|high|critical),/);
    const badCsv = await fetch(`${sut.url}/v1/predict/batch`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: `customerID,${header}\n${line('X', 'abc', '1')}\n`,
    });
    assert.match((await expectProblem(badCsv, 400, 'VALIDATION_FAILED')).detail ?? '', /\[0\]\.tenure/);
  });

  it('keeps registry operations for admins and audits them; shadow scores the same features on predictions.shadow', async () => {
    const list = (await (await fetch(`${sut.url}/v1/models`)).json()) as {
      models: { version: string; role: string; explanation: { path: string; additivity: { additive: boolean } } | null }[];
    };
    assert.equal(list.models.find((m) => m.version === active)?.role, 'champion');
    assert.equal(list.models.find((m) => m.version === active)?.explanation?.path, 'additive_logit');
    assert.equal(list.models.find((m) => m.version === active)?.explanation?.additivity.additive, true);
    assert.equal(list.models.find((m) => m.version === second)?.role, 'registered');
    assert.equal(list.models.find((m) => m.version === second)?.explanation, null);
    assert.equal((await fetch(`${sut.url}/v1/models/${second}/shadow`, { method: 'POST' })).status, 401);
    const notAdmin = await token({ sub: 'viewer@example.com', roles: ['viewer'] });
    assert.equal((await fetch(`${sut.url}/v1/models/${second}/shadow`, { method: 'POST', headers: { authorization: `Bearer ${notAdmin}` } })).status, 403);
    const admin = await token({ sub: 'ops@example.com', roles: ['admin'] });
    const shadowed = await fetch(`${sut.url}/v1/models/${second}/shadow`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    assert.equal(shadowed.status, 200);
    const audit = await new AuditLogRepository().findBySubject(db, `model:${second}`);
    assert.equal(audit[0]?.actor, 'ops@example.com');
    assert.equal(audit[0]?.action, 'model.shadow');

    const message = aFeatureMessage(uniqueId('C'));
    await send([message]);
    const [shadowMessage] = await probe.waitFor(
      (m) => m.topic === Topics.predictionsShadow && m.value !== null && JSON.parse(m.value).source_event_id === message.source_event_id,
    );
    const shadowPrediction = predictionSchema.parse(JSON.parse(shadowMessage!.value!));
    assert.equal(shadowPrediction.model_version, second);
    assert.equal(shadowPrediction.experiment, null);
    const champion = (
      await probe.waitFor((m) => m.topic === Topics.predictions && m.value !== null && JSON.parse(m.value).source_event_id === message.source_event_id)
    )[0]!;
    assert.equal(predictionSchema.parse(JSON.parse(champion.value!)).model_version, active);
    assert.equal(predictionSchema.parse(JSON.parse(champion.value!)).churn_probability, shadowPrediction.churn_probability);
    const shadowRows = await eventuallyEqual(
      'the shadow prediction stored',
      async () => (await new PredictionHistoryRepository().forCustomer(db, message.customer_id, { limit: 10, role: 'shadow' })).length,
      1,
      5000,
    );
    assert.equal(shadowRows, 1);
  });

  it('swaps the champion while messages flow, without losing one', async () => {
    const customer = uniqueId('C');
    const sent: CustomerFeaturesMessage[] = [];
    const admin = await token({ sub: 'ops@example.com', roles: ['admin'] });
    for (let i = 0; i < 30; i++) {
      const message = aFeatureMessage(customer, { tenure: i });
      sent.push(message);
      await send([message]);
      if (i === 10) {
        // Another instance's activation: straight into the table; this instance must pick it up by polling.
        await db.transaction((tx) => new ModelVersionRepository().makeChampion(tx, second, 'other-instance'));
      }
      // Paces the stream (a pause, not a wait on a condition) so that the swap lands while messages flow.
      await new Promise((r) => setTimeout(r, 60));
    }
    const ids = new Set(sent.map((m) => m.source_event_id));
    await probe.waitFor((m) => m.topic === Topics.predictions && m.value !== null && ids.has(JSON.parse(m.value).source_event_id), 30);
    const byEvent = new Map(predictionsOf(Topics.predictions, ids).map((p) => [p.source_event_id, p]));
    assert.equal(byEvent.size, 30, 'one prediction per message');
    const versions = sent.map((m) => byEvent.get(m.source_event_id)!.model_version);
    assert.equal(versions[0], active);
    assert.equal(versions[29], second);
    const switchAt = versions.indexOf(second);
    assert.ok(
      versions.slice(switchAt).every((v) => v === second),
      `switches once: ${versions.join(',')}`,
    );
    // And back through the API, audited with who and when.
    const back = await fetch(`${sut.url}/v1/models/${active}/activate`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    assert.equal(back.status, 200);
    assert.equal(((await back.json()) as { serving: { champion: string } }).serving.champion, active);
    const [entry] = await new AuditLogRepository().findBySubject(db, `model:${active}`);
    assert.equal(entry?.action, 'model.activate');
    assert.equal(entry?.actor, 'ops@example.com');
  });
});
