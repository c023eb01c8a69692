import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { predictionIdOf } from './prediction-id';

describe('predictionIdOf', () => {
  it('is the same for the same source event, model and role, and differs otherwise', () => {
    const id = predictionIdOf('evt-1', 'v1', 'champion');
    assert.equal(predictionIdOf('evt-1', 'v1', 'champion'), id);
    assert.notEqual(predictionIdOf('evt-1', 'v1', 'shadow'), id);
    assert.notEqual(predictionIdOf('evt-1', 'v2', 'champion'), id);
    assert.notEqual(predictionIdOf('evt-2', 'v1', 'champion'), id);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
