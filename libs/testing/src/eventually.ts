/**
 * Polls `probe` every 300 ms until it returns a value (a rejection counts as not yet), and fails
 * naming `what` after `timeoutMs`: how a spec waits on a row, a marker or an answer instead of sleeping.
 */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
