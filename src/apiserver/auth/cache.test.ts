import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TtlCache } from './cache.ts';

test('entries expire after the TTL and the oldest goes when full', () => {
  let now = 0;
  const c = new TtlCache<number>(100, 2, () => now);
  c.set('a', 1);
  c.set('b', 2);
  assert.equal(c.get('a'), 1);
  c.set('c', 3);
  assert.equal(c.get('a'), undefined);
  assert.equal(c.get('c'), 3);
  now = 100;
  assert.equal(c.get('b'), undefined);
  const off = new TtlCache<number>(0);
  off.set('x', 1);
  assert.equal(off.get('x'), undefined);
});
