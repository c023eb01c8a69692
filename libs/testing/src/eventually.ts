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

/** A value read, shortened for a failure message (a metrics page or a long body would bury the point). */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined || text.length <= 500 ? String(text) : `${text.slice(0, 500)}…`;
}

/**
 * Reads until `holds` accepts the value and returns that value; fails naming `what` with the last
 * value read (and the last rejection, if any). The case of a body polled until a figure reaches a count.
 */
export async function eventuallyWhere<T>(what: string, read: () => Promise<T> | T, holds: (value: T) => boolean, options?: number | PollOptions): Promise<T> {
  let last: { value: T } | undefined;
  try {
    return await eventually(
      what,
      async () => {
        const value = await read();
        last = { value };
        return holds(value) ? { value } : undefined;
      },
      options,
    ).then((found) => found.value);
  } catch (error) {
    throw new Error(`${(error as Error).message}: last read ${last ? shown(last.value) : 'nothing'}`, { cause: error });
  }
}

/**
 * Reads until the value deep-equals `expected`; fails naming `what` with the last value read and the
 * one expected (a row lands a moment after its message, when it is published before COMMIT).
 */
export async function eventuallyEqual<T>(what: string, read: () => Promise<T> | T, expected: T, options?: number | PollOptions): Promise<T> {
  try {
    return await eventuallyWhere(what, read, (value) => isDeepStrictEqual(value, expected), options);
  } catch (error) {
    throw new Error(`${(error as Error).message}, expected ${shown(expected)}`, { cause: error });
  }
}
