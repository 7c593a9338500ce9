/**
 * Runs `fn` over `items` with at most `limit` calls in flight; resolves to the settled results in item order.
 * Used to create a group's pods concurrently without flooding the API server. When `stop` is given and
 * returns true for the next item, that item and the rest are not started (those in flight finish): the
 * results then end early, so `results.length` is the number of items that ran (always a prefix of `items`).
 * `stop` sees the item it would start next, so a caller can refuse to stop inside a unit of several items.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  stop?: (next: T) => boolean,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  let end = items.length;
  const worker = async () => {
    for (;;) {
      if (next < items.length && stop?.(items[next]!)) {
        end = next;
        next = items.length;
      }
      const i = next++;
      if (i >= items.length) return;
      try {
        results[i] = { status: 'fulfilled', value: await fn(items[i]!, i) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return end === items.length ? results : results.slice(0, end);
}
