import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../lib/clock.ts';
import { AdaptiveRate } from './adaptive-rate.ts';
import { TokenBucket } from './token-bucket.ts';

const ok = { code: '201', durationMs: 20, rateLimitWaitMs: 50 };
const idle = { code: '200', durationMs: 20, rateLimitWaitMs: 0 };

function setup(options: Partial<ConstructorParameters<typeof AdaptiveRate>[1]> = {}) {
  const clock = new FakeClock(1_000);
  const bucket = new TokenBucket(100, 200, clock);
  const rate = new AdaptiveRate(bucket, { qps: 100, burst: 200, ...options }, clock);
  /** Feeds `n` observations spread over one window, then one that closes it. */
  const window = (o: typeof ok, n = 10) => {
    for (let i = 0; i < n; i++) {
      rate.observe(o);
      clock.advance(1000 / n);
    }
  };
  /** Feeds one window of `o`, closes it with `closing`, and answers the decision taken. */
  const decideAfter = (o: typeof ok, n = 10, closing = o) => {
    window(o, n);
    rate.observe(closing);
    return rate.lastDecision;
  };
  return { clock, bucket, rate, window, decideAfter };
}

test('AdaptiveRate raises the rate x2 a window while callers queue for tokens and the server answers fast', () => {
  const { bucket, window, decideAfter } = setup();
  assert.equal(decideAfter(ok), 'raise');
  assert.equal(bucket.qps, 200);
  assert.equal(bucket.burst, 400, 'the bucket keeps the burst/qps ratio of the flags (200/100)');
  for (let i = 0; i < 10; i++) window(ok);
  assert.equal(bucket.qps, 500, 'capped at 5 x the starting rate');
});

test('AdaptiveRate holds when nobody waited for a token (the rate is not what limits)', () => {
  const { bucket, decideAfter } = setup();
  assert.equal(decideAfter(idle), 'hold');
  assert.equal(bucket.qps, 100);
});

test('AdaptiveRate halves on a 429 and backs off on slow answers and 5xx, never below qps/4', () => {
  // Each window() call's first observation closes the window before it.
  const { bucket, rate, window } = setup();
  window(ok);
  window(ok);
  window({ ...ok, code: '429' }, 2);
  assert.equal(bucket.qps, 400);
  window({ ...ok, durationMs: 1500 });
  assert.equal(rate.lastDecision, 'throttled');
  assert.equal(bucket.qps, 200);
  window({ ...ok, code: '500' }, 5);
  assert.equal(rate.lastDecision, 'slow');
  assert.equal(bucket.qps, 150);
  window({ ...ok, code: '429' });
  assert.equal(rate.lastDecision, 'errors');
  assert.equal(bucket.qps, 112.5);
  for (let i = 0; i < 10; i++) window({ ...ok, code: '429' });
  assert.equal(bucket.qps, 25);
  assert.equal(bucket.burst, 50);
});

test('AdaptiveRate does not judge latency on a handful of answers', () => {
  const { bucket, decideAfter } = setup();
  assert.equal(decideAfter({ ...idle, durationMs: 5000 }, 3, idle), 'hold');
  assert.equal(bucket.qps, 100);
});

test('AdaptiveRate starts again from the flags after an idle spell', () => {
  const { clock, bucket, rate, window } = setup();
  window(ok);
  window(ok);
  rate.observe(ok);
  assert.equal(bucket.qps, 400);
  clock.advance(30_000);
  rate.observe(idle);
  assert.equal(rate.lastDecision, 'idle-reset');
  assert.equal(bucket.qps, 100);
  assert.equal(bucket.burst, 200);
});

test('TokenBucket.setRate serves queued callers at the new rate', async () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket(1, 1, clock);
  const waited: number[] = [];
  for (let i = 0; i < 3; i++) void bucket.wait().then((ms) => waited.push(ms));
  await new Promise<void>((r) => setImmediate(r));
  assert.deepEqual(waited, [0]);
  bucket.setRate(10, 1);
  clock.advance(100);
  await new Promise<void>((r) => setImmediate(r));
  assert.deepEqual(waited, [0, 100], 'the second caller waited 100 ms (10 qps), not 1 s');
  assert.throws(() => bucket.setRate(0, 1), /qps must be > 0/);
});
