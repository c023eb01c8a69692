import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashSeed, Prng } from './prng';

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('Prng', () => {
  it('gives the same sequence for a seed and another one for another seed', () => {
    const draw = (seed: number) =>
      Array.from(
        { length: 5 },
        (
          (rng) => () =>
            rng.next()
        )(new Prng(seed)),
      );
    assert.deepEqual(draw(7), draw(7));
    assert.notDeepEqual(draw(7), draw(8));
  });

  it('draws uniform, normal, Poisson and weighted values with the stated moments', () => {
    const rng = new Prng(hashSeed('moments', 1));
    const uniform = Array.from({ length: 20_000 }, () => rng.next());
    assert.ok(uniform.every((u) => u >= 0 && u < 1));
    assert.ok(Math.abs(mean(uniform) - 0.5) < 0.01);
    const normal = Array.from({ length: 20_000 }, () => rng.normal());
    assert.ok(Math.abs(mean(normal)) < 0.03);
    assert.ok(Math.abs(mean(normal.map((x) => x * x)) - 1) < 0.05);
    for (const lambda of [0.2, 3, 45])
      assert.ok(Math.abs(mean(Array.from({ length: 20_000 }, () => rng.poisson(lambda))) - lambda) < 0.05 * lambda + 0.02, `Poisson(${lambda})`);
    const picks = Array.from({ length: 20_000 }, () =>
      rng.weighted([
        ['a', 3],
        ['b', 1],
      ] as const),
    );
    assert.ok(Math.abs(picks.filter((p) => p === 'a').length / picks.length - 0.75) < 0.015);
    const ints = Array.from({ length: 5_000 }, () => rng.int(1, 3));
    assert.deepEqual([...new Set(ints)].sort(), [1, 2, 3]);
  });

  it('hashes a seed and an index into different generator seeds', () => {
    assert.equal(hashSeed('saas', 1, 0), hashSeed('saas', 1, 0));
    assert.equal(new Set(Array.from({ length: 1000 }, (_, i) => hashSeed('saas', 1, i))).size, 1000);
    assert.notEqual(hashSeed('saas', 1, 0), hashSeed('saas', 2, 0));
  });
});
