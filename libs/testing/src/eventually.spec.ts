import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually, eventuallyEqual, eventuallyWhere, until } from './eventually';

const fast = { timeoutMs: 200, intervalMs: 5 };

/** A probe that answers from a list, one entry per call, repeating the last one. */
function answers<T>(...values: T[]): { next: () => T; calls: () => number } {
  let calls = 0;
  return { next: () => values[Math.min(calls++, values.length - 1)]!, calls: () => calls };
}

describe('eventually', () => {
  it('polls past undefined and rejections and returns the first value', async () => {
    const probe = answers<() => string | undefined>(
      () => undefined,
      () => {
        throw new Error('not yet');
      },
      () => 'row',
    );
    assert.equal(await eventually('the row', () => probe.next()(), fast), 'row');
    assert.equal(probe.calls(), 3);
  });

  it('returns false and 0 as values: only undefined means not yet', async () => {
    assert.equal(await eventually('a flag', () => false, fast), false);
    assert.equal(await eventually('a count', () => 0, fast), 0);
  });

  it('fails after the timeout naming what it waited for and the last rejection', async () => {
    const started = Date.now();
    await assert.rejects(
      eventually(
        'the marker',
        () => {
          throw new Error('connection refused');
        },
        fast,
      ),
      (error: Error) => {
        assert.match(error.message, /timed out after 200 ms waiting for the marker; the last probe failed: connection refused/);
        return true;
      },
    );
    assert.ok(Date.now() - started >= 200, 'it kept polling until the timeout');
  });

  it('takes a bare number as the timeout', async () => {
    await assert.rejects(
      eventually('nothing', () => undefined, 50),
      /timed out after 50 ms waiting for nothing/,
    );
  });
});

describe('until', () => {
  it('waits for the condition to hold', async () => {
    const probe = answers(false, false, true);
    await until('the condition', () => probe.next(), fast);
    assert.equal(probe.calls(), 3);
  });

  it('fails naming the condition when it never holds', async () => {
    await assert.rejects(
      until('the consumer to catch up', () => false, fast),
      /waiting for the consumer to catch up/,
    );
  });
});

describe('eventuallyWhere', () => {
  it('returns the first value the predicate accepts, undefined included', async () => {
    const probe = answers({ count: 1 }, { count: 4 });
    assert.deepEqual(
      await eventuallyWhere(
        'four customers',
        () => probe.next(),
        (b) => b.count === 4,
        fast,
      ),
      { count: 4 },
    );
    assert.equal(
      await eventuallyWhere(
        'nothing stored',
        () => undefined,
        (v) => v === undefined,
        fast,
      ),
      undefined,
    );
  });

  it('fails with the last value read, shortened when long', async () => {
    await assert.rejects(
      eventuallyWhere(
        'four customers',
        () => ({ count: 3 }),
        (b) => b.count === 4,
        fast,
      ),
      /waiting for four customers: last read \{"count":3\}/,
    );
    await assert.rejects(
      eventuallyWhere(
        'a short page',
        () => 'x'.repeat(2000),
        (t) => t.length < 10,
        fast,
      ),
      (error: Error) => {
        assert.ok(error.message.length < 700, error.message);
        assert.ok(error.message.endsWith('…'));
        return true;
      },
    );
  });
});

describe('eventuallyEqual', () => {
  it('reads until the value deep-equals the one expected', async () => {
    const probe = answers(['a'], ['a', 'b']);
    assert.deepEqual(await eventuallyEqual('both rows', () => probe.next(), ['a', 'b'], fast), ['a', 'b']);
  });

  it('fails with the last value read and the one expected', async () => {
    await assert.rejects(
      eventuallyEqual('both rows', () => ['a'], ['a', 'b'], fast),
      /waiting for both rows: last read \["a"\], expected \["a","b"\]/,
    );
  });
});
