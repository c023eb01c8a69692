import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startService, type RunningService } from '@churn/service-kit';
import { expectProblem, problemFields, serviceTestEnv, signTestToken, waitUntilHttpReady } from '@churn/testing';
import { scorerConfigSchema } from './config';
import { configureScorerHttp } from './http-setup';
import { ScorerModule } from './scorer.module';

const SECRET = 'scorer-errors-spec-secret-of-32-characters-at-least';
const RATE_LIMIT = 5;

/** Every error answer of the scorer is problem+json (docs/http-errors.md): one of each kind. */
describe('the scorer’s error answers', () => {
  let sut: RunningService;
  const admin = () => signTestToken(SECRET, ['admin']);

  before(async () => {
    const env = serviceTestEnv({
      SCORER_STREAM_ENABLED: 'false',
      AUTH_JWT_SECRET: SECRET,
      RATE_LIMIT_REQUESTS: String(RATE_LIMIT),
      RATE_LIMIT_WINDOW_MS: '60000',
    });
    sut = await startService({
      name: 'scorer',
      configSchema: scorerConfigSchema,
      module: (c) => ScorerModule.register(c),
      configure: (app) => configureScorerHttp(app),
      env,
    });
    await waitUntilHttpReady(sut.url);
  });

  after(() => sut?.close());

  const post = async (path: string, body: string, token?: string) =>
    fetch(`${sut.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });

  it('401 names the bearer scheme, 403 the role it lacks', async () => {
    const anonymous = await post('/v1/models/any/activate', '{}');
    await expectProblem(anonymous, 401, 'UNAUTHENTICATED');
    assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer realm="scorer"');
    const agent = await expectProblem(await post('/v1/models/any/activate', '{}', await signTestToken(SECRET, ['agent'])), 403, 'FORBIDDEN');
    assert.match(agent.detail ?? '', /admin/);
  });

  it('404 for an unknown model version and an unknown route; 409 for the champion made its own shadow', async () => {
    const unknown = await expectProblem(await post('/v1/models/v-nowhere/activate', '{}', await admin()), 404, 'MODEL_NOT_FOUND');
    assert.equal(unknown.instance, '/v1/models/v-nowhere/activate');
    await expectProblem(await fetch(`${sut.url}/v1/nowhere`), 404, 'NOT_FOUND');
    const { models } = (await (await fetch(`${sut.url}/v1/models`)).json()) as { models: { version: string; role: string }[] };
    const champion = models.find((m) => m.role === 'champion')!.version;
    const refused = await expectProblem(await post(`/v1/models/${champion}/shadow`, '{}', await admin()), 409, 'MODEL_IS_CHAMPION');
    assert.match(refused.detail ?? '', /is the champion/);
  });

  it('400 names the field of a malformed body, and says so of one that is not JSON', async () => {
    const invalid = await expectProblem(await post('/v1/models/any/rollout', '{"share":2}', await admin()), 400, 'VALIDATION_FAILED');
    assert.deepEqual(problemFields(invalid), ['share']);
    await expectProblem(await post('/v1/predict', '{"features":', undefined), 400, 'MALFORMED_BODY');
  });

  it(`429 with Retry-After past ${RATE_LIMIT} predictions a minute`, async () => {
    let answer: Response | undefined;
    for (let i = 0; i <= RATE_LIMIT; i++) {
      answer = await post('/v1/predict', JSON.stringify({ features: {} }));
      if (answer.status === 429) break;
      await expectProblem(answer, 400, 'VALIDATION_FAILED');
    }
    await expectProblem(answer!, 429, 'TOO_MANY_REQUESTS');
    assert.match(answer!.headers.get('retry-after') ?? '', /^\d+$/);
  });
});
