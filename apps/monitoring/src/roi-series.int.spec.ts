import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { roiSeriesSchema, Topics } from '@churn/contracts';
import { type RunningService } from '@churn/service-kit';
import { eventuallyWhere, expectProblem, problemFields, uniqueId } from '@churn/testing';
import { aPrediction, publish, startMonitoring } from './monitoring-spec-fixtures';

const DAY = 86_400_000;

/**
 * `GET /v1/metrics/roi/series` on the real broker and Postgres: champion predictions published on
 * `predictions`, stored by monitoring, and cut into days. The period is a random day of the 1990s, so
 * predictions of other specs and earlier runs on the same database fall outside it.
 */
describe('monitoring ROI series per day and week', () => {
  let sut: RunningService;
  const start = Date.UTC(1990, 0, 1) + randomInt(0, 3650) * DAY;
  const at = (days: number, hours = 10) => new Date(start + days * DAY + hours * 3_600_000).toISOString();
  const series = (query: string) => fetch(`${sut.url}/v1/metrics/roi/series?${query}`);
  const from = new Date(start).toISOString();
  const to = new Date(start + 3 * DAY).toISOString();

  before(async () => {
    sut = await startMonitoring({ MONITORING_REFRESH_INTERVAL_MS: '600000' });
  });

  after(async () => {
    await sut?.close();
  });

  it('counts each day’s customers at their newest prediction that day; the total counts a customer once', async () => {
    const version = uniqueId('roi-series-model');
    const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((x) => uniqueId(`ROI${x}`));
    // Day 0: a and b targeted (an action costing 150), c not. Day 1: a again (targeted) and d (not). Day 2: nothing.
    const targeted = { recommended_action: 'retention_call_with_offer', intervention_cost: 150 };
    await publish(Topics.predictions, [
      aPrediction(a!, version, 0.9, Date.parse(at(0, 0)), { ...targeted, scored_at: at(0) }),
      aPrediction(b!, version, 0.8, Date.parse(at(0, 0)), { ...targeted, scored_at: at(0, 11) }),
      aPrediction(c!, version, 0.1, Date.parse(at(0, 0)), { scored_at: at(0, 12) }),
      aPrediction(a!, version, 0.95, Date.parse(at(1, 0)), { ...targeted, scored_at: at(1) }),
      aPrediction(d!, version, 0.2, Date.parse(at(1, 0)), { scored_at: at(1, 13) }),
    ]);
    const read = async () => {
      const response = await series(`from=${from}&to=${to}&bucket=day`);
      assert.equal(response.status, 200);
      return roiSeriesSchema.parse(await response.json());
    };
    const body = await eventuallyWhere('4 customers in the period', read, (b) => b.total.customers === 4, 60_000);
    assert.deepEqual(
      body.points.map((p) => [p.from, p.to, p.customers, p.treated_customers, p.programme_cost]),
      [
        [from, new Date(start + DAY).toISOString(), 3, 2, 300],
        [new Date(start + DAY).toISOString(), new Date(start + 2 * DAY).toISOString(), 2, 1, 150],
        [new Date(start + 2 * DAY).toISOString(), to, 0, 0, 0],
      ],
    );
    // Every prediction carries the same revenue at risk: day 0's figure is 3/2 of day 1's.
    assert.ok(body.points[1]!.revenue_at_risk > 0);
    assert.equal(body.points[0]!.revenue_at_risk, body.points[1]!.revenue_at_risk * 1.5);
    assert.deepEqual([body.total.customers, body.total.treated_customers, body.total.programme_cost], [4, 2, 300]);

    const weekly = roiSeriesSchema.parse(await (await series(`from=${from}&to=${to}&bucket=week`)).json());
    assert.deepEqual(
      weekly.points.map((p) => [p.from, p.to, p.customers]),
      [[from, to, 4]],
    );
  });

  it('answers 400 naming the parameter for a malformed or too long period', async () => {
    for (const [query, field] of [
      [`from=yesterday&to=${to}`, 'from'],
      [`from=${to}&to=${from}`, 'to'],
      ['from=2000-01-01&to=2002-01-01&bucket=day', 'to'],
      [`from=${from}&to=${to}&bucket=month`, 'bucket'],
      [`from=${from}&to=${to}&window=7d`, 'window'],
    ] as const) {
      const problem = await expectProblem(await series(query), 400, 'VALIDATION_FAILED');
      assert.ok(problemFields(problem).includes(field), `${query}: ${problemFields(problem).join(', ')}`);
    }
  });
});
