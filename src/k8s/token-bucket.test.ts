import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../lib/clock.ts';
import { withFlow } from './flow.ts';
import { TokenBucket } from './token-bucket.ts';

/** Lets resolved promises run their callbacks. */
const settle = () => new Promise<void>((r) => setImmediate(r));

test('TokenBucket allows a burst, then paces requests at qps', async () => {
  const clock = new FakeClock(1000);
  const bucket = new TokenBucket(10, 3, clock);
  const waited: number[] = [];
  for (let i = 0; i < 5; i++) void bucket.wait().then((ms) => waited.push(ms));
  await settle();
  assert.deepEqual(waited, [0, 0, 0]);
  assert.equal(bucket.queued, 2);
  clock.advance(99);
  await settle();
  assert.equal(waited.length, 3);
  clock.advance(1);
  await settle();
  assert.deepEqual(waited, [0, 0, 0, 100]);
  clock.advance(100);
  await settle();
  assert.deepEqual(waited, [0, 0, 0, 100, 200]);
  clock.advance(1000);
  // 1 s refills 10 tokens, capped at the burst of 3: three more go at once, the fourth waits.
  for (let i = 0; i < 4; i++) void bucket.wait().then((ms) => waited.push(ms));
  await settle();
  assert.deepEqual(waited.slice(5), [0, 0, 0]);
});

test('TokenBucket shares tokens between flows in turn: one request of a new flow does not wait behind a busy one', async () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket(10, 1, clock);
  const order: string[] = [];
  const send = (flow: string, i: number) =>
    withFlow(flow, () => bucket.wait()).then(() => order.push(`${flow}${i}`));
  for (let i = 0; i < 6; i++) void send('big', i);
  await settle();
  assert.deepEqual(order, ['big0']);
  void send('small', 0);
  void send('small', 1);
  for (let t = 0; t < 7; t++) {
    clock.advance(100);
    await settle();
  }
  // After the burst token, the flows alternate: small's two requests go second and fourth.
  assert.deepEqual(order, ['big0', 'big1', 'small0', 'big2', 'small1', 'big3', 'big4', 'big5']);
  assert.equal(bucket.queued, 0);
});

test('TokenBucket keeps the total rate: N waiters over any flows take (N - burst) / qps seconds', async () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket(100, 20, clock);
  let done = 0;
  for (let i = 0; i < 220; i++) void withFlow(`f${i % 7}`, () => bucket.wait()).then(() => done++);
  await settle();
  assert.equal(done, 20);
  clock.advance(1990);
  await settle();
  assert.equal(done, 219);
  clock.advance(10);
  await settle();
  assert.equal(done, 220);
});

test('TokenBucket rejects nonsense settings', () => {
  assert.throws(() => new TokenBucket(0, 1), /qps must be > 0/);
  assert.throws(() => new TokenBucket(1, 0), /burst must be >= 1/);
});
