import { isDeepStrictEqual } from 'node:util';

/** How long to keep polling, and how often. */
export interface PollOptions {
  /** Give up after this long (default 90 s: integration specs share a slow machine with a broker and a database). */
  readonly timeoutMs?: number;
  /** Pause between two probes (default 300 ms). */
  readonly intervalMs?: number;
}

const DEFAULTS = { timeoutMs: 90_000, intervalMs: 300 };

function optionsOf(options: number | PollOptions | undefined): Required<PollOptions> {
  return typeof options === 'number' ? { ...DEFAULTS, timeoutMs: options } : { ...DEFAULTS, ...options };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns a value (undefined, or a rejection, counts as not yet), and fails
 * naming `what` (and the last rejection, if any) after the timeout: how a spec waits on a row, a
 * marker or an answer instead of sleeping. The one polling helper of the specs.
 */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, options?: number | PollOptions): Promise<T> {
  const { timeoutMs, intervalMs } = optionsOf(options);
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    let value: T | undefined;
    try {
      value = await probe();
    } catch (error) {
      lastError = error;
    }
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? `; the last probe failed: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`, { cause: lastError });
    }
    await pause(intervalMs);
  }
}

/** Polls `condition` until it holds; fails naming `what` after the timeout. */
export async function until(what: string, condition: () => Promise<boolean> | boolean, options?: number | PollOptions): Promise<void> {
  await eventually(what, async () => ((await condition()) ? true : undefined), options);
}

/**
 * Reads until the value deep-equals `expected`; fails naming `what` with the last value read and the
 * one expected (a row lands a moment after its message, when it is published before COMMIT).
 */
export async function eventuallyEqual<T>(what: string, read: () => Promise<T> | T, expected: T, options?: number | PollOptions): Promise<T> {
  let last: T | undefined;
  try {
    return await eventually(
      what,
      async () => {
        last = await read();
        return isDeepStrictEqual(last, expected) ? last : undefined;
      },
      options,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}: last read ${JSON.stringify(last)}, expected ${JSON.stringify(expected)}`, { cause: error });
  }
}
