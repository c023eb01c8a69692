import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareStreamWithBatch, streamEqualsBatch } from './stream-batch-check';

describe('compareStreamWithBatch', () => {
  it('holds when every customer is on both sides within the tolerance', () => {
    const result = compareStreamWithBatch(
      new Map([
        ['a', 0.25],
        ['b', 0.5],
      ]),
      new Map([
        ['a', 0.2500004],
        ['b', 0.5],
      ]),
    );
    assert.equal(result.compared, 2);
    assert.ok(result.maxDifference > 3e-7 && result.maxDifference < 5e-7);
    assert.equal(streamEqualsBatch(result), true);
  });

  it('names the customers that differ beyond the tolerance, are missing from the stream, or are not in the table (counted, not a failure)', () => {
    const result = compareStreamWithBatch(
      new Map([
        ['a', 0.25],
        ['b', 0.5],
      ]),
      new Map([
        ['a', 0.251],
        ['c', 0.1],
      ]),
    );
    assert.deepEqual(result.mismatches, [{ customerId: 'a', batch: 0.25, stream: 0.251 }]);
    assert.deepEqual(result.missingFromStream, ['b']);
    assert.deepEqual(result.notInTable, ['c']);
    assert.equal(streamEqualsBatch(result), false);
    assert.equal(
      streamEqualsBatch(
        compareStreamWithBatch(
          new Map([['a', 0.25]]),
          new Map([
            ['a', 0.25],
            ['c', 0.1],
          ]),
        ),
      ),
      true,
    );
  });

  it('does not hold when nothing was compared', () => {
    assert.equal(streamEqualsBatch(compareStreamWithBatch(new Map(), new Map())), false);
  });
});
