import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALERTING_ROUTES, SCORER_ROUTES } from './forwarded-routes';

describe('forwarded routes', () => {
  it('fill their parameters encoded, so an id cannot reach another route', () => {
    assert.equal(ALERTING_ROUTES.acknowledge.path('alrt-1'), '/v1/alerts/alrt-1/ack');
    assert.equal(ALERTING_ROUTES.history.path('a/../../x?y'), '/v1/alerts/a%2F..%2F..%2Fx%3Fy/history');
    assert.equal(SCORER_ROUTES.rollback.path(), '/v1/models/rollout/rollback');
  });

  it('refuse a call with the wrong number of parameters', () => {
    assert.throws(() => ALERTING_ROUTES.alert.path(), /takes 1 parameter\(s\), got 0/);
    assert.throws(() => SCORER_ROUTES.models.path('v1'), /takes 0 parameter\(s\), got 1/);
  });

  it('are keyed as the upstream OpenAPI specs list routes', () => {
    assert.equal(ALERTING_ROUTES.acknowledge.key, 'POST /v1/alerts/{id}/ack');
  });
});
