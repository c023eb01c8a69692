import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_ROI_BUCKETS, roiBuckets, roiSeriesQuerySchema } from './roi-series';

describe('ROI series buckets', () => {
  it('cuts [from, to) into consecutive buckets from `from`, the last one cut at `to`', () => {
    const from = new Date('2026-03-01T00:00:00+01:00');
    const buckets = roiBuckets(from, new Date('2026-03-17T12:00:00+01:00'), 'week');
    assert.deepEqual(
      buckets.map((b) => [b.from.toISOString(), b.to.toISOString()]),
      [
        ['2026-02-28T23:00:00.000Z', '2026-03-07T23:00:00.000Z'],
        ['2026-03-07T23:00:00.000Z', '2026-03-14T23:00:00.000Z'],
        ['2026-03-14T23:00:00.000Z', '2026-03-17T11:00:00.000Z'],
      ],
    );
    assert.equal(roiBuckets(new Date('2026-03-01T00:00:00Z'), new Date('2026-03-04T00:00:00Z'), 'day').length, 3);
  });

  it('refuses a period that ends before it starts, or holds too many buckets, naming the parameter', () => {
    const problem = (query: Record<string, string>) => {
      const result = roiSeriesQuerySchema.safeParse(query);
      return result.success ? undefined : result.error.issues.map((i) => i.path.join('.'));
    };
    assert.deepEqual(problem({ from: '2026-03-02', to: '2026-03-01' }), ['to']);
    assert.deepEqual(problem({ from: '2020-01-01', to: '2026-01-01', bucket: 'day' }), ['to']);
    assert.equal(problem({ from: '2020-01-01', to: '2026-01-01', bucket: 'week' }), undefined);
    assert.deepEqual(problem({ from: 'yesterday', to: '2026-03-01' }), ['from']);
    assert.deepEqual(problem({ from: '2026-03-01', to: '2026-03-02', bucket: 'month' }), ['bucket']);
    assert.ok(MAX_ROI_BUCKETS >= 366);
  });
});
