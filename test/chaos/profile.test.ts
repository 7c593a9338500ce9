import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from './profile.ts';

test('seededRandom repeats for a seed, differs between seeds, stays in [0, 1)', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const xs = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(
    Array.from({ length: 1000 }, () => b()),
    xs,
  );
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.notDeepEqual(seededRandom(43)(), xs[0]);
  assert.ok(new Set(xs).size > 990);
});
