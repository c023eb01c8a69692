import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as api from '@churn/contracts';
import { Topics, type CustomerFeaturesMessageV1 } from '@churn/contracts';
import { startService, type RunningService } from '@churn/service-kit';
import {
  aFeatureMessageV1,
  assertEveryRouteDocumented,
  rawProducer,
  serviceTestEnv,
  signTestToken,
  testKafka,
  TopicProbe,
  uniqueId,
  waitUntilHttpReady,
} from '@churn/testing';
import { scorerConfigSchema } from './config';
import { configureScorerHttp } from './http-setup';
import { ScorerModule } from './scorer.module';
import { telcoFeatures } from './scorer-spec-support';

// The support file's Telco customer, a month older (the values this spec has always sent).
const features: CustomerFeaturesMessageV1['features'] = { ...telcoFeatures, Partner: 'Yes', tenure: 3, TotalCharges: 241.5 };

const SECRET = 'api-only-spec-secret-of-at-least-32-characters';

/**
 * The deployment's API-only scorer (scaled on CPU) must answer HTTP without joining the stream's
 * group; here with SCORER_PREDICT_AUTH=required, so predict takes a service token.
 */
describe('scorer with SCORER_STREAM_ENABLED=false and SCORER_PREDICT_AUTH=required', () => {
  let sut: RunningService;
  let probe: TopicProbe;
  const env = serviceTestEnv({ SCORER_STREAM_ENABLED: 'false', SCORER_PREDICT_AUTH: 'required', AUTH_JWT_SECRET: SECRET });

  before(async () => {
    probe = await TopicProbe.start([Topics.predictions]);
    sut = await startService({
      name: 'scorer',
      configSchema: scorerConfigSchema,
      module: (c) => ScorerModule.register(c),
      configure: (app) => configureScorerHttp(app),
      env,
    });
    await waitUntilHttpReady(sut.url);
  });

  after(async () => {
    await sut?.close();
    await probe?.stop();
  });

  it('is ready without a Kafka consumer and scores over HTTP for a service token only', async () => {
    const ready = (await (await fetch(`${sut.url}/health/ready`)).json()) as { checks: Record<string, string> };
    assert.equal(ready.checks['kafka-consumer'], undefined);
    assert.equal(ready.checks['postgres'], 'ok');
    const predict = async (roles?: string[]) =>
      fetch(`${sut.url}/v1/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(roles ? { authorization: `Bearer ${await signTestToken(SECRET, roles)}` } : {}) },
        body: JSON.stringify({ customer_id: 'api-only', features }),
      });
    assert.equal((await predict()).status, 401);
    assert.equal((await predict(['agent'])).status, 403);
    const batch = await fetch(`${sut.url}/v1/predict/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ customer_id: 'b', features }]),
    });
    assert.equal(batch.status, 401);
    const response = await predict(['service']);
    assert.equal(response.status, 200);
    const body = api.predictionAnswerSchema.parse(await response.json());
    assert.ok(body.churn_probability > 0 && body.churn_probability < 1);
    assert.equal(body.top_factors.length, 3);
  });

  it('documents every route in /docs/json: its success body generated from the contract schema, its errors as problem+json', async () => {
    const routes = {
      'GET /metrics': 'file',
      'GET /health/live': api.healthReportSchema,
      'GET /health/ready': api.healthReportSchema,
      'POST /v1/predict': api.predictionAnswerSchema,
      'POST /v1/predict/batch': api.predictionBatchAnswerSchema,
      'GET /v1/customers/{id}/predictions': api.customerPredictionsSchema,
      'GET /v1/models': api.modelRegistrySchema,
      'POST /v1/models/{version}/activate': api.modelAssignmentAnswerSchema,
      'POST /v1/models/{version}/shadow': api.modelAssignmentAnswerSchema,
      'POST /v1/models/rollout/rollback': api.modelRollbackAnswerSchema,
      'POST /v1/models/{version}/rollout': api.modelRolloutAnswerSchema,
    } as const;
    await assertEveryRouteDocumented(sut.url, routes);
    const forwarded = Object.values(api.SCORER_ROUTES).map((route) => route.key);
    assert.deepEqual(
      forwarded.filter((key) => !(key in routes)),
      [],
      'every route monitoring forwards to the scorer is served',
    );
    api.modelRegistrySchema.parse(await (await fetch(`${sut.url}/v1/models`)).json());
  });

  it('leaves customer-features alone: no member in the scorer group, no offset committed', async () => {
    const customer = uniqueId('C');
    const producer = await rawProducer();
    const message = aFeatureMessageV1(customer, features, '2025-06-15T12:00:00Z');
    await producer.send({ topic: Topics.customerFeatures, messages: [{ key: customer, value: JSON.stringify(message) }] });
    await producer.close();
    // A scorer with the stream on is ready only once its consumer has joined `<prefix>.scorer`
    // (the kafka-consumer readiness check), and only a member receives messages: so an empty group
    // after readiness, with nothing committed, means the message can never be scored by it.
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const groupId = `${env['KAFKA_GROUP_PREFIX']}.scorer`;
      const { groups } = await admin.describeGroups([groupId]);
      assert.deepEqual(groups[0]?.members, [], `members of ${groupId}`);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [Topics.customerFeatures] });
      assert.ok(
        committed!.partitions.every((p) => p.offset === '-1'),
        JSON.stringify(committed),
      );
    } finally {
      await admin.disconnect();
    }
    assert.equal(probe.messages.filter((m) => m.key === customer).length, 0);
  });
});
