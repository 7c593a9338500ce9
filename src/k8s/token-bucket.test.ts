import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../lib/clock.ts';
import { TokenBucket } from './token-bucket.ts';

test('TokenBucket allows a burst, then paces requests at qps', () => {
  const clock = new FakeClock(1000);
  const bucket = new TokenBucket(10, 3, clock);
  assert.deepEqual([bucket.reserve(), bucket.reserve(), bucket.reserve()], [0, 0, 0]);
  assert.equal(bucket.reserve(), 100);
  assert.equal(bucket.reserve(), 200);
  clock.advance(1000);
  // 1 s refills 10 tokens: the debt of 2 is paid and the bucket is full again (capped at the burst of 3).
  assert.equal(bucket.reserve(), 0);
});

test('TokenBucket.wait resolves after the reserved delay', async () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket(2, 1, clock);
  assert.equal(await bucket.wait(), 0);
  let done = false;
  const p = bucket.wait().then(() => {
    done = true;
  });
  await Promise.resolve();
  assert.equal(done, false);
  clock.advance(499);
  await Promise.resolve();
  assert.equal(done, false);
  clock.advance(1);
  await p;
  assert.equal(done, true);
});

test('TokenBucket rejects nonsense settings', () => {
  assert.throws(() => new TokenBucket(0, 1), /qps must be > 0/);
  assert.throws(() => new TokenBucket(1, 0), /burst must be >= 1/);
});
