export interface EventuallyOptions {
  /** Give up after this long; default 30000 ms (a loaded 2-core machine running two suites at once). */
  readonly timeoutMs?: number;
  /** Pause between tries; default 100 ms. */
  readonly intervalMs?: number;
}

/**
 * Calls `fn` until it returns without throwing (and returns its value), or rethrows its last error when the
 * deadline passes. Used against real servers instead of sleeps.
 */
export async function eventually<T>(fn: () => T | Promise<T>, options: EventuallyOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const msg = last instanceof Error ? last.message : String(last);
  throw new Error(`eventually: still failing after ${timeoutMs}ms: ${msg}`, { cause: last });
}
