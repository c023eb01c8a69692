import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignArm } from './experiment';
import { rolloutPoint, servedByRollout } from './rollout';

const customers = Array.from({ length: 20_000 }, (_, i) => `C-${i.toString(36)}-${(i * 7919) % 1000}`);

describe('the rollout split by customer hash', () => {
  it('puts a customer at the same point every time, in [0, 1)', () => {
    for (const id of customers.slice(0, 200)) {
      const point = rolloutPoint(id);
      assert.ok(point >= 0 && point < 1, `${id}: ${point}`);
      assert.equal(rolloutPoint(id), point);
    }
    // Pinned: a change of the hash would move live customers from one model to the other mid-rollout.
    assert.equal(rolloutPoint('7590-VHVEG'), 0.6551056740100094);
    assert.equal(rolloutPoint('C-1'), 0.7203114382646874);
  });

  it('is monotonic in the share: whoever is served at 10 % is served at 50 % and 100 %', () => {
    const shares = [0, 0.1, 0.5, 1];
    for (const id of customers) {
      const served = shares.map((s) => servedByRollout(id, s));
      assert.equal(served[0], false, `${id} at 0`);
      assert.equal(served[3], true, `${id} at 1`);
      for (let i = 1; i < served.length; i++) assert.ok(!served[i - 1] || served[i], `${id} leaves the rollout when its share grows`);
    }
  });

  it('serves the share asked for, within sampling error', () => {
    for (const share of [0.1, 0.5, 0.9]) {
      const served = customers.filter((id) => servedByRollout(id, share)).length / customers.length;
      // 20,000 customers: the standard error is at most 0.0036; four of them.
      assert.ok(Math.abs(served - share) < 0.015, `share ${share}: served ${served}`);
    }
  });

  it('splits independently of the experiment arms', () => {
    const experiment = { name: 'retention-2024', control_fraction: 0.2 };
    const inRollout = customers.filter((id) => servedByRollout(id, 0.5));
    const control = inRollout.filter((id) => assignArm(experiment, id) === 'control').length / inRollout.length;
    assert.ok(Math.abs(control - 0.2) < 0.02, `control share among the rollout's customers: ${control}`);
  });
});
