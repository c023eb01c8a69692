import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waterfallSteps } from './waterfall-steps';

describe('waterfallSteps', () => {
  it('starts at what the drivers leave unexplained, steps through each driver and ends at the probability', () => {
    const steps = waterfallSteps(
      [
        { feature: 'Contract', contribution: 0.3 },
        { feature: 'tenure', contribution: 0.1 },
        { feature: 'OnlineSecurity', contribution: -0.05 },
      ],
      0.8,
    );
    const rounded = steps.map((s) => [s.label, s.kind, Math.round(s.from * 1000) / 1000, Math.round(s.to * 1000) / 1000]);
    assert.deepEqual(rounded, [
      ['Baseline and other features', 'base', 0, 0.45],
      ['Contract', 'up', 0.45, 0.75],
      ['tenure', 'up', 0.75, 0.85],
      ['OnlineSecurity', 'down', 0.85, 0.8],
      ['Churn probability', 'total', 0, 0.8],
    ]);
    // The last driver lands exactly where the total bar ends.
    assert.ok(Math.abs(steps[3]!.to - steps[4]!.to) < 1e-12);
  });

  it('without a probability ends at the sum of the drivers, from a zero base', () => {
    const steps = waterfallSteps(
      [
        { feature: 'a', contribution: 0.2 },
        { feature: 'b', contribution: -0.5 },
      ],
      null,
    );
    assert.equal(steps[0]!.to, 0);
    assert.equal(steps.at(-1)!.to, -0.3);
    assert.deepEqual(
      steps.map((s) => s.kind),
      ['base', 'up', 'down', 'total'],
    );
  });

  it('with no drivers is the base and the total, both the probability', () => {
    assert.deepEqual(
      waterfallSteps([], 0.4).map((s) => [s.kind, s.to]),
      [
        ['base', 0.4],
        ['total', 0.4],
      ],
    );
  });
});
