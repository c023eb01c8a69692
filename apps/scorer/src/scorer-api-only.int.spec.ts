import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Topics } from '@churn/contracts';
import { startService, type RunningService } from '@churn/service-kit';
import { rawProducer, serviceTestEnv, TopicProbe, uniqueId, waitUntilHttpReady } from '@churn/testing';
import { scorerConfigSchema } from './config';
import { configureScorerHttp } from './http-setup';
import { ScorerModule } from './scorer.module';

const features = {
  gender: 'Female', SeniorCitizen: 0, Partner: 'Yes', Dependents: 'No', tenure: 3, PhoneService: 'Yes', MultipleLines: 'No',
  InternetService: 'Fiber optic', OnlineSecurity: 'No', OnlineBackup: 'No', DeviceProtection: 'No', TechSupport: 'No',
  StreamingTV: 'Yes', StreamingMovies: 'No', Contract: 'Month-to-month', PaperlessBilling: 'Yes',
  PaymentMethod: 'Electronic check', MonthlyCharges: 80.5, TotalCharges: 241.5,
};

/** The deployment's API-only scorer (scaled on CPU) must answer HTTP without joining the stream's group. */
describe('scorer with SCORER_STREAM_ENABLED=false', () => {
  let sut: RunningService;
  let probe: TopicProbe;

  before(async () => {
    probe = await TopicProbe.start([Topics.predictions]);
    sut = await startService({
      name: 'scorer',
      configSchema: scorerConfigSchema,
      module: (c) => ScorerModule.register(c),
      configure: (app) => configureScorerHttp(app),
      env: serviceTestEnv({ SCORER_STREAM_ENABLED: 'false' }),
    });
    await waitUntilHttpReady(sut.url);
  });

  after(async () => {
    await sut?.close();
    await probe?.stop();
  });

  it('is ready without a Kafka consumer and scores over HTTP', async () => {
    const ready = (await (await fetch(`${sut.url}/health/ready`)).json()) as { checks: Record<string, string> };
    assert.equal(ready.checks['kafka-consumer'], undefined);
    assert.equal(ready.checks['postgres'], 'ok');
    const response = await fetch(`${sut.url}/v1/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customer_id: 'api-only', features }),
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { churn_probability: number; top_factors: unknown[] };
    assert.ok(body.churn_probability > 0 && body.churn_probability < 1);
    assert.equal(body.top_factors.length, 3);
  });

  it('leaves customer-features alone', async () => {
    const customer = uniqueId('C');
    const producer = await rawProducer();
    const message = { customer_id: customer, as_of: '2025-06-15T12:00:00Z', source_event_id: uniqueId('evt'), feature_schema_version: 1, features };
    await producer.send({ topic: Topics.customerFeatures, messages: [{ key: customer, value: JSON.stringify(message) }] });
    await producer.close();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.equal(probe.messages.filter((m) => m.key === customer).length, 0);
  });
});
