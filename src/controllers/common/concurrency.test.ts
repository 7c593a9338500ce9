import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapBounded } from './concurrency.ts';

test('mapBounded never exceeds the limit and keeps order and failures', async () => {
  let inFlight = 0;
  let peak = 0;
  const results = await mapBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await Promise.resolve();
    inFlight--;
    if (n === 4) throw new Error('four');
    return n * 2;
  });
  assert.equal(peak, 3);
  assert.deepEqual(
    results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
    [2, 4, 6, 'four', 10, 12, 14],
  );
  assert.deepEqual(await mapBounded([], 5, async () => 1), []);
});

test('mapBounded stops starting items once stop() is true; those in flight finish', async () => {
  const started: number[] = [];
  const results = await mapBounded(
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    2,
    async (n) => {
      started.push(n);
      await new Promise((r) => setImmediate(r));
      return n;
    },
    () => started.length >= 5,
  );
  assert.deepEqual(started, [0, 1, 2, 3, 4]);
  assert.deepEqual(
    results.map((r) => (r.status === 'fulfilled' ? r.value : -1)),
    [0, 1, 2, 3, 4],
  );
});

test('mapBounded passes stop() the next item, so a unit of items is never split', async () => {
  // Items come in units of three (a multi-host replica's pods): stopping is allowed only before a unit.
  const items = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ n, first: n % 3 === 0 }));
  const started: number[] = [];
  const results = await mapBounded(
    items,
    2,
    async ({ n }) => {
      started.push(n);
      await new Promise((r) => setImmediate(r));
      return n;
    },
    (next) => next.first && started.length >= 4,
  );
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5]);
  assert.equal(results.length, 6);
});
