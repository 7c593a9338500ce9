import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryDelayMs, retryPolicy } from './routes.ts';

test("KubeRay's V2 retry backoff: 500 ms doubling, capped at 10 s, 3 retries within 30 s", () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5].map(retryDelayMs), [500, 1000, 2000, 4000, 8000, 10000]);
  assert.equal(retryPolicy.retries, 3);
  assert.equal(retryPolicy.overallMs, 30_000);
});
